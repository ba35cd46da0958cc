// Request bodies of DynamoDB's JSON protocol (API reference, "Request Syntax" of each operation).
#include "dynamodb/protocol.hpp"

#include "dynamodb/json_writer.hpp"

namespace scavenger::dynamodb::protocol {

namespace {

void write_item(json_writer& out, const item& attributes) {
  out.begin_object();
  for (const auto& entry : attributes) out.member_raw(entry.name, entry.value);
  out.end_object();
}

void write_expression_attributes(json_writer& out, std::string_view names, std::string_view values) {
  if (!names.empty()) out.member_raw("ExpressionAttributeNames", names);
  if (!values.empty()) out.member_raw("ExpressionAttributeValues", values);
}

void write_consumed_capacity(json_writer& out, bool wanted) {
  if (wanted) out.member("ReturnConsumedCapacity", "TOTAL");
}

std::string table_only(std::string_view table) {
  json_writer out;
  out.begin_object().member("TableName", table).end_object();
  return std::move(out).str();
}

}  // namespace

std::string describe_table_body(std::string_view table) { return table_only(table); }

std::string delete_table_body(std::string_view table) { return table_only(table); }

std::string create_table_body(const create_table_request& request) {
  json_writer out;
  out.begin_object().member("TableName", request.table);
  out.key("AttributeDefinitions").begin_array();
  out.begin_object().member("AttributeName", request.keys.partition.name).member("AttributeType", request.keys.partition.type).end_object();
  if (request.keys.sort) {
    out.begin_object().member("AttributeName", request.keys.sort->name).member("AttributeType", request.keys.sort->type).end_object();
  }
  out.end_array();
  out.key("KeySchema").begin_array();
  out.begin_object().member("AttributeName", request.keys.partition.name).member("KeyType", "HASH").end_object();
  if (request.keys.sort) {
    out.begin_object().member("AttributeName", request.keys.sort->name).member("KeyType", "RANGE").end_object();
  }
  out.end_array();
  if (request.provisioned_capacity) {
    out.member("BillingMode", "PROVISIONED");
    out.key("ProvisionedThroughput").begin_object();
    out.key("ReadCapacityUnits").number(request.provisioned_capacity->first);
    out.key("WriteCapacityUnits").number(request.provisioned_capacity->second);
    out.end_object();
  } else {
    out.member("BillingMode", "PAY_PER_REQUEST");
  }
  out.end_object();
  return std::move(out).str();
}

std::string put_item_body(const put_item_request& request) {
  json_writer out;
  out.begin_object().member("TableName", request.table).key("Item");
  write_item(out, request.attributes);
  out.end_object();
  return std::move(out).str();
}

std::string get_item_body(const get_item_request& request) {
  json_writer out;
  out.begin_object().member("TableName", request.table).key("Key");
  write_item(out, request.key);
  out.key("ConsistentRead").boolean(request.consistent_read);
  out.end_object();
  return std::move(out).str();
}

std::string scan_body(const scan_request& request) {
  json_writer out;
  out.begin_object().member("TableName", request.table);
  if (request.segment) out.key("Segment").number(std::int64_t{*request.segment});
  if (request.total_segments) out.key("TotalSegments").number(std::int64_t{*request.total_segments});
  if (!request.filter_expression.empty()) out.member("FilterExpression", request.filter_expression);
  if (!request.projection_expression.empty()) out.member("ProjectionExpression", request.projection_expression);
  write_expression_attributes(out, request.expression_attribute_names, request.expression_attribute_values);
  if (!request.exclusive_start_key.empty()) out.member_raw("ExclusiveStartKey", request.exclusive_start_key);
  if (request.limit) out.key("Limit").number(*request.limit);
  if (request.consistent_read) out.key("ConsistentRead").boolean(true);
  write_consumed_capacity(out, request.return_consumed_capacity);
  out.end_object();
  return std::move(out).str();
}

std::string delete_item_body(const delete_item_request& request) {
  json_writer out;
  out.begin_object().member("TableName", request.table).key("Key");
  write_item(out, request.key);
  if (!request.condition_expression.empty()) out.member("ConditionExpression", request.condition_expression);
  write_expression_attributes(out, request.expression_attribute_names, request.expression_attribute_values);
  write_consumed_capacity(out, request.return_consumed_capacity);
  out.end_object();
  return std::move(out).str();
}

std::string batch_write_item_body(const batch_write_request& request) {
  json_writer out;
  out.begin_object().key("RequestItems").begin_object().key(request.table).begin_array();
  for (const auto& entry : request.requests) {
    out.begin_object();
    if (entry.type == write_request::kind::put) {
      out.key("PutRequest").begin_object().key("Item");
    } else {
      out.key("DeleteRequest").begin_object().key("Key");
    }
    write_item(out, entry.attributes);
    out.end_object().end_object();
  }
  out.end_array().end_object();
  write_consumed_capacity(out, request.return_consumed_capacity);
  out.end_object();
  return std::move(out).str();
}

}  // namespace scavenger::dynamodb::protocol
