#pragma once
// Reads one scalar AttributeValue as DynamoDB sends it, {"S":"2026-11-20T08:15:00Z"} or
// {"N":"1732000000"}, without a JSON parser: the age check runs on every scanned item, and the
// value is a one-member object, so a few comparisons do the job. JSON escapes are honoured
// ("\u0032" is a legal spelling of "2"); whitespace between tokens is allowed.
//
// Thread safety: pure function.

#include <optional>
#include <string>
#include <string_view>

namespace scavenger::core {

// The string held by `raw` when it is a JSON object with exactly one member, named `type`
// ("S", "N"), whose value is a JSON string; its escapes decoded. nullopt for every other type
// ({"NULL":true}, {"L":[...]}), shape or invalid JSON. The view points into `raw` when the
// string has no escapes (no allocation: the common case), else into `scratch`.
std::optional<std::string_view> scalar_text(std::string_view raw, std::string_view type, std::string& scratch);

}  // namespace scavenger::core
