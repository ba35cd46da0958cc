#pragma once
// Items as DynamoDB sends them. Attribute values stay raw JSON ({"N":"12345678901234567890.123"},
// {"B":"AAEC"}, {"S":"bår"}) so that a key goes back out byte for byte: a number never passes
// through a double, a binary value is never decoded, a string is never re-encoded.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scavenger::dynamodb {

struct attribute {
  std::string name;   // unescaped UTF-8
  std::string value;  // raw JSON of the AttributeValue, exactly as received
  friend bool operator==(const attribute&, const attribute&) = default;
};

// Attributes in the order the service sent them.
using item = std::vector<attribute>;

// The raw AttributeValue JSON of `name`, or nullopt.
std::optional<std::string_view> find_attribute(const item& attributes, std::string_view name) noexcept;

// The attributes of `attributes` named in `names` (a key out of a scanned item), in the order
// of `names`; nullopt when one is missing.
std::optional<item> project(const item& attributes, const std::vector<std::string>& names);

// `{"name":<raw value>,...}`: an item or key as a JSON object.
std::string to_json(const item& attributes);

}  // namespace scavenger::dynamodb
