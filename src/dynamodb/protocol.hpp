#pragma once
// DynamoDB's JSON protocol: request bodies out, response bodies in. Pure functions, no I/O,
// so the wire format is unit-tested without a server.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "dynamodb/operations.hpp"

namespace scavenger::dynamodb::protocol {

// X-Amz-Target values: "DynamoDB_20120810.<Op>".
inline constexpr std::string_view target_prefix = "DynamoDB_20120810.";
inline constexpr std::string_view content_type = "application/x-amz-json-1.0";

std::string describe_table_body(std::string_view table);
std::string delete_table_body(std::string_view table);
std::string create_table_body(const create_table_request& request);
std::string put_item_body(const put_item_request& request);
std::string get_item_body(const get_item_request& request);
std::string scan_body(const scan_request& request);
std::string delete_item_body(const delete_item_request& request);
std::string batch_write_item_body(const batch_write_request& request);

// Parsers take the body with at least simdjson::SIMDJSON_PADDING bytes of capacity past its
// size (they pad it themselves otherwise). The error is one line naming what is malformed.
struct parse_error {
  std::string message;
};
boost::system::result<table_description, parse_error> parse_table_description(std::string& body);
boost::system::result<scan_page, parse_error> parse_scan_page(std::string& body);
boost::system::result<std::optional<item>, parse_error> parse_get_item(std::string& body);
boost::system::result<delete_item_result, parse_error> parse_delete_item_result(std::string& body);
boost::system::result<batch_write_result, parse_error> parse_batch_write_result(std::string& body, std::string_view table);

// Checks that `text` is a JSON object (for user-supplied expression attribute names/values).
boost::system::result<void, parse_error> validate_json_object(std::string_view text);

}  // namespace scavenger::dynamodb::protocol
