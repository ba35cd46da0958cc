#include "dynamodb/protocol.hpp"

#include <gtest/gtest.h>

namespace scavenger::dynamodb {
namespace {

TEST(protocol_requests, scan_carries_every_option) {
  scan_request request;
  request.table = "Workers";
  request.segment = 3;
  request.total_segments = 17;
  request.filter_expression = "#Comp = :NCompl OR #Comp = :SCompl";
  request.projection_expression = "WorkerId, StartTime";
  request.expression_attribute_names = R"({"#Comp":"Completed"})";
  request.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
  request.exclusive_start_key = R"({"WorkerId":{"N":"12345678901234567890.123"}})";
  request.limit = 100;
  request.consistent_read = true;
  EXPECT_EQ(protocol::scan_body(request),
            R"({"TableName":"Workers","Segment":3,"TotalSegments":17,)"
            R"("FilterExpression":"#Comp = :NCompl OR #Comp = :SCompl","ProjectionExpression":"WorkerId, StartTime",)"
            R"("ExpressionAttributeNames":{"#Comp":"Completed"},"ExpressionAttributeValues":{":NCompl":{"N":"1"},":SCompl":{"S":"1"}},)"
            R"("ExclusiveStartKey":{"WorkerId":{"N":"12345678901234567890.123"}},"Limit":100,"ConsistentRead":true,)"
            R"("ReturnConsumedCapacity":"TOTAL"})");
}

TEST(protocol_requests, minimal_scan_sends_only_the_table) {
  scan_request request;
  request.table = "T";
  request.return_consumed_capacity = false;
  EXPECT_EQ(protocol::scan_body(request), R"({"TableName":"T"})");
}

TEST(protocol_requests, delete_item_embeds_the_key_byte_for_byte) {
  delete_item_request request;
  request.table = "T";
  request.key = {{"id", R"({"N":"12345678901234567890.123"})"}, {"bin", R"({"B":"AAEC/w=="})"}};
  request.condition_expression = "#scv_age = :scv_seen";
  request.expression_attribute_names = R"({"#scv_age":"StartExecutionTime"})";
  request.expression_attribute_values = R"({":scv_seen":{"S":"2026-01-01T00:00:00Z"}})";
  EXPECT_EQ(protocol::delete_item_body(request),
            R"({"TableName":"T","Key":{"id":{"N":"12345678901234567890.123"},"bin":{"B":"AAEC/w=="}},)"
            R"("ConditionExpression":"#scv_age = :scv_seen","ExpressionAttributeNames":{"#scv_age":"StartExecutionTime"},)"
            R"("ExpressionAttributeValues":{":scv_seen":{"S":"2026-01-01T00:00:00Z"}},"ReturnConsumedCapacity":"TOTAL"})");
}

TEST(protocol_requests, batch_write_item_mixes_puts_and_deletes) {
  batch_write_request request;
  request.table = "T";
  request.return_consumed_capacity = false;
  request.requests = {{write_request::kind::put, {{"id", R"({"S":"a"})"}, {"v", R"({"N":"1"})"}}},
                      {write_request::kind::remove, {{"id", R"({"S":"b"})"}}}};
  EXPECT_EQ(protocol::batch_write_item_body(request),
            R"({"RequestItems":{"T":[{"PutRequest":{"Item":{"id":{"S":"a"},"v":{"N":"1"}}}},)"
            R"({"DeleteRequest":{"Key":{"id":{"S":"b"}}}}]}})");
}

TEST(protocol_requests, create_table_with_a_sort_key_on_demand) {
  create_table_request request{"Workers", {{"WorkerId", "N"}, key_attribute{"StartTime", "S"}}, std::nullopt};
  EXPECT_EQ(protocol::create_table_body(request),
            R"({"TableName":"Workers","AttributeDefinitions":[{"AttributeName":"WorkerId","AttributeType":"N"},)"
            R"({"AttributeName":"StartTime","AttributeType":"S"}],"KeySchema":[{"AttributeName":"WorkerId","KeyType":"HASH"},)"
            R"({"AttributeName":"StartTime","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
}

TEST(protocol_responses, scan_page_keeps_raw_values_and_the_last_key) {
  std::string body =
      R"({"Count":2,"Items":[{"id":{"N":"12345678901234567890.123"},"name":{"S":"b\u00e5r \"q\""}},)"
      R"({"id":{"N":"-1e-130"},"blob":{"B":"AAEC"},"list":{"L":[{"N":"1"},{"M":{"k":{"BOOL":true}}}]}}],)"
      R"("LastEvaluatedKey":{"id":{"N":"-1e-130"}},"ScannedCount":7,"ConsumedCapacity":{"TableName":"T","CapacityUnits":0.5}})";
  auto page = protocol::parse_scan_page(body);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->count, 2);
  EXPECT_EQ(page->scanned_count, 7);
  EXPECT_DOUBLE_EQ(page->consumed_capacity, 0.5);
  EXPECT_EQ(page->last_evaluated_key, R"({"id":{"N":"-1e-130"}})");
  EXPECT_EQ(page->items[0], (item{{"id", R"({"N":"12345678901234567890.123"})"}, {"name", R"({"S":"b\u00e5r \"q\""})"}}));
  EXPECT_EQ(*find_attribute(page->items[1], "list"), R"({"L":[{"N":"1"},{"M":{"k":{"BOOL":true}}}]})");
  EXPECT_EQ(to_json(page->items[0]), R"({"id":{"N":"12345678901234567890.123"},"name":{"S":"b\u00e5r \"q\""}})");
}

TEST(protocol_responses, an_empty_page_without_last_key_ends_the_segment) {
  std::string body = R"({"Count":0,"Items":[],"ScannedCount":0})";
  auto page = protocol::parse_scan_page(body);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_TRUE(page->last_evaluated_key.empty());
}

TEST(protocol_responses, an_empty_page_with_last_key_does_not_end_it) {
  std::string body = R"({"Count":0,"Items":[],"ScannedCount":100,"LastEvaluatedKey":{"id":{"S":"k"}}})";
  auto page = protocol::parse_scan_page(body);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->last_evaluated_key, R"({"id":{"S":"k"}})");
  EXPECT_EQ(page->scanned_count, 100);
}

TEST(protocol_responses, malformed_pages_are_errors_not_crashes) {
  for (std::string body : {std::string(R"({"Count":1,"Items":[{"id":{"N":"1"}}]")"), std::string("[]"),
                           std::string(R"({"Count":2,"Items":[{"id":{"N":"1"}}]})"), std::string(R"({"Items":[1]})"),
                           std::string("")}) {
    auto page = protocol::parse_scan_page(body);
    EXPECT_FALSE(page) << body;
    if (!page) {
      EXPECT_NE(page.error().message.find("malformed DynamoDB response"), std::string::npos);
    }
  }
}

TEST(protocol_responses, batch_write_returns_unprocessed_requests) {
  std::string body =
      R"({"UnprocessedItems":{"T":[{"DeleteRequest":{"Key":{"id":{"S":"b"}}}},{"PutRequest":{"Item":{"id":{"S":"c"}}}}]},)"
      R"("ConsumedCapacity":[{"TableName":"T","CapacityUnits":3.0}]})";
  auto result = protocol::parse_batch_write_result(body, "T");
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->unprocessed.size(), 2u);
  EXPECT_EQ(result->unprocessed[0], (write_request{write_request::kind::remove, {{"id", R"({"S":"b"})"}}}));
  EXPECT_EQ(result->unprocessed[1], (write_request{write_request::kind::put, {{"id", R"({"S":"c"})"}}}));
  EXPECT_DOUBLE_EQ(result->consumed_capacity, 3.0);

  std::string other_table = R"({"UnprocessedItems":{"U":[]}})";
  EXPECT_FALSE(protocol::parse_batch_write_result(other_table, "T"));
}

TEST(protocol_responses, table_description_reads_the_key_schema) {
  std::string body =
      R"({"Table":{"AttributeDefinitions":[{"AttributeName":"StartTime","AttributeType":"S"},{"AttributeName":"WorkerId","AttributeType":"N"}],)"
      R"("TableName":"Workers","KeySchema":[{"AttributeName":"WorkerId","KeyType":"HASH"},{"AttributeName":"StartTime","KeyType":"RANGE"}],)"
      R"("TableStatus":"ACTIVE","ItemCount":42,"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}})";
  auto table = protocol::parse_table_description(body);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->name, "Workers");
  EXPECT_EQ(table->status, "ACTIVE");
  EXPECT_EQ(table->item_count, 42);
  EXPECT_EQ(table->keys.partition, (key_attribute{"WorkerId", "N"}));
  ASSERT_TRUE(table->keys.sort);
  EXPECT_EQ(*table->keys.sort, (key_attribute{"StartTime", "S"}));
  EXPECT_EQ(table->keys.names(), (std::vector<std::string>{"WorkerId", "StartTime"}));
  EXPECT_EQ(table->billing_mode, "PAY_PER_REQUEST");
}

TEST(protocol_responses, get_item_distinguishes_absent_from_present) {
  std::string absent = "{}";
  auto none = protocol::parse_get_item(absent);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  std::string present = R"({"Item":{"id":{"S":"x"}}})";
  auto found = protocol::parse_get_item(present);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, (item{{"id", R"({"S":"x"})"}}));
}

TEST(protocol, validate_json_object_accepts_objects_only) {
  EXPECT_TRUE(protocol::validate_json_object(R"({":v":{"N":"1"}})"));
  EXPECT_FALSE(protocol::validate_json_object(R"([1])"));
  EXPECT_FALSE(protocol::validate_json_object(R"({":v":)"));
  EXPECT_FALSE(protocol::validate_json_object(R"({"a":1} trailing)"));
  EXPECT_FALSE(protocol::validate_json_object(""));
}

}  // namespace
}  // namespace scavenger::dynamodb
