#pragma once
// The user's --expression-attribute-names / --expression-attribute-values (SPEC §3), merged
// with the placeholders scavenger adds. Both are JSON objects in the AWS CLI's shapes; ours
// all start with "#scv_" / ":scv_", which the user's may not, so the two never collide.
//
// Thread safety: pure functions.

#include <boost/system/result.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "scavenger/config_error.hpp"

namespace scavenger::core {

inline constexpr std::string_view reserved_name_prefix = "#scv_";
inline constexpr std::string_view reserved_value_prefix = ":scv_";

// The members of the user's JSON object `json` (empty text counts as {}): the text between its
// braces, trimmed, "" when it has none. Refused, naming `option` (the flag) in the message,
// when it is not a JSON object or a member name starts with `reserved_prefix`.
boost::system::result<std::string, config_error> user_members(std::string_view json, std::string_view option,
                                                              std::string_view reserved_prefix);

// One JSON object text from member lists ("\"a\":1", "\"b\":2,\"c\":3"), empty ones skipped;
// "" when every list is empty, because DynamoDB refuses an empty ExpressionAttributeValues.
std::string merge_members(std::initializer_list<std::string_view> member_lists);

}  // namespace scavenger::core
