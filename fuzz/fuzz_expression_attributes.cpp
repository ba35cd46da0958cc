// The user's --expression-attribute-names / --expression-attribute-values JSON, from the command
// line, the environment or a Lambda event. The input is used as both.
//
// Checked:
// - user_members() accepts exactly the JSON objects (after trimming JSON whitespace; empty text
//   counts as {}) with no member under the reserved prefix, and its members, put back between
//   braces, are the same object; validate_json_object() agrees on what is an object;
// - build_predicate() with those names and values, with and without an age rule and the
//   server-side age filter, succeeds exactly then, and every ExpressionAttributeNames/Values
//   text it builds is one valid JSON object holding the user's members plus ours.
#include <simdjson.h>

#include <chrono>
#include <string>
#include <vector>

#include "dynamodb/protocol.hpp"
#include "fuzz_check.hpp"
#include "scavenger/expression_attributes.hpp"
#include "scavenger/predicate.hpp"

namespace {

namespace core = scavenger::core;

std::string_view trim_json_space(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\n\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\n\r") - first + 1);
}

// The object's members in a canonical text (simdjson's minified output), or nullopt when the
// text is not a JSON object.
struct parsed_object {
  std::string minified;
  std::vector<std::string> keys;
};
std::optional<parsed_object> parse_object(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text.data(), text.size()).get(object)) return std::nullopt;
  parsed_object out{simdjson::minify(object), {}};
  for (const auto member : object) out.keys.emplace_back(member.key);
  return out;
}

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

// The members user_members() returns for `text`; checked against the reference.
std::optional<std::string> check_user_members(std::string_view text, std::string_view prefix) {
  const std::string option = "--option";
  const auto members = core::user_members(text, option, prefix);
  const std::string_view trimmed = trim_json_space(text);
  const auto object = trimmed.empty() ? std::nullopt : parse_object(trimmed);
  bool reserved = false;
  if (object) {
    for (const auto& key : object->keys) reserved = reserved || key.starts_with(prefix);
  }
  const bool expected = trimmed.empty() || (object && !reserved);
  FUZZ_CHECK(members.has_value() == expected, in_quotes(text) + (members ? " accepted" : " refused"));
  if (!trimmed.empty()) {
    FUZZ_CHECK(scavenger::dynamodb::protocol::validate_json_object(trimmed).has_value() == object.has_value(),
               "validate_json_object disagrees on " + in_quotes(trimmed));
  }
  if (!members) {
    FUZZ_CHECK(members.error().message.starts_with(option), members.error().message);
    return std::nullopt;
  }
  if (trimmed.empty()) {
    FUZZ_CHECK(members->empty(), "members of blank text: " + *members);
    return *members;
  }
  FUZZ_CHECK(trim_json_space(*members) == *members, "untrimmed members " + in_quotes(*members));
  const auto rebuilt = parse_object("{" + *members + "}");
  FUZZ_CHECK(rebuilt && rebuilt->minified == object->minified,
             "members " + in_quotes(*members) + " of " + in_quotes(text) + " are another object");
  return *members;
}

std::size_t member_count(std::string_view members) {
  if (members.empty()) return 0;
  const auto object = parse_object("{" + std::string(members) + "}");
  return object ? object->keys.size() : 0;
}

// `text` is a JSON object with `user_members` plus `ours` members, or (allowed_empty) nothing.
void check_merged(std::string_view text, std::size_t user_members, std::size_t ours, std::string_view what) {
  if (user_members + ours == 0) {
    FUZZ_CHECK(text.empty(), std::string(what) + " should be empty: " + std::string(text));
    return;
  }
  const auto object = parse_object(text);
  FUZZ_CHECK(object.has_value(), std::string(what) + " is not a JSON object: " + std::string(text));
  FUZZ_CHECK(object->keys.size() == user_members + ours, std::string(what) + " has other members: " + std::string(text));
}

void check_predicate(std::string_view text, bool names_ok, bool values_ok, std::size_t user_names,
                     std::size_t user_values) {
  using namespace std::chrono;
  const std::vector<std::string> keys{"WorkerId", "StartExecutionTime"};
  const core::age_rule age{"StartExecutionTime", core::age_format::rfc3339, sys_days{year{2026} / 1 / 1}};
  for (const int variant : {0, 1, 2}) {
    core::predicate_settings settings;
    settings.filter = "#Comp = :NCompl OR #Comp = :SCompl";
    settings.expression_attribute_names = text;
    settings.expression_attribute_values = text;
    if (variant > 0) settings.age = age;
    settings.server_age_filter = variant == 2;
    const auto built = core::build_predicate(settings, keys);
    const std::string what = "variant " + std::to_string(variant) + " of " + in_quotes(text);
    FUZZ_CHECK(built.has_value() == (names_ok && values_ok), what + (built ? " built" : " refused"));
    if (!built) continue;

    // Ours: #scv_k<i> per key attribute, except the age attribute (a key here), which is
    // #scv_age: two names either way. :scv_seen in the condition; the server age filter's
    // values (their number is server_age_filter's business).
    check_merged(built->scan_attribute_names(), user_names, keys.size(), what + ": scan names");
    check_merged(built->condition_attribute_names(), user_names, settings.age ? 1 : 0, what + ": condition names");
    const std::string condition_values = built->condition_attribute_values(R"({"S":"2025-12-31T00:00:00Z"})");
    check_merged(condition_values, user_values, settings.age ? 1 : 0, what + ": condition values");
    if (!settings.server_age_filter) {
      check_merged(built->scan_attribute_values(), user_values, 0, what + ": scan values");
    } else {
      const auto values = parse_object(built->scan_attribute_values());
      FUZZ_CHECK(values && values->keys.size() > user_values, what + ": scan values " + built->scan_attribute_values());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text = scavenger::fuzz::as_text(data, size);
  const auto names = check_user_members(text, core::reserved_name_prefix);
  const auto values = check_user_members(text, core::reserved_value_prefix);
  check_predicate(text, names.has_value(), values.has_value(), names ? member_count(*names) : 0,
                  values ? member_count(*values) : 0);
  return 0;
}
