// Inputs fuzz/fuzz_dynamodb_response found (the same inputs are in
// fuzz/corpus/fuzz_dynamodb_response/regression-*).
#include <gtest/gtest.h>

#include "dynamodb/protocol.hpp"

namespace scavenger::dynamodb {
namespace {

void expect_malformed(std::string body, std::string_view parser) {
  SCOPED_TRACE(std::string(parser) + ": " + body);
  std::string copy = body;
  if (parser == "scan") {
    const auto page = protocol::parse_scan_page(copy);
    ASSERT_FALSE(page);
    EXPECT_TRUE(page.error().message.starts_with("malformed DynamoDB response")) << page.error().message;
  } else if (parser == "delete") {
    const auto result = protocol::parse_delete_item_result(copy);
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().message.starts_with("malformed DynamoDB response")) << result.error().message;
  } else {
    const auto result = protocol::parse_batch_write_result(copy, "Workers");
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().message.starts_with("malformed DynamoDB response")) << result.error().message;
  }
}

// "Items" that is not an array: the parser iterated the array that failed to open, which is
// undefined behaviour in simdjson (UBSan: "execution reached an unreachable program point").
TEST(protocol_fuzz_regressions, scan_items_that_are_not_an_array_are_malformed) {
  for (const char* body : {R"({"Items":"x","Count":0})", R"({"Items":{},"Count":0})", R"({"Items":null})",
                           R"({"Items":1,"Count":1})"}) {
    expect_malformed(body, "scan");
  }
}

// Consumed capacity feeds the --max-rcu/--max-wcu token buckets and the summary. A negative
// value, or a sum that overflows to infinity (which JSON cannot even carry into the summary),
// is no capacity DynamoDB reports.
TEST(protocol_fuzz_regressions, impossible_consumed_capacity_is_malformed) {
  expect_malformed(R"({"Items":[],"ConsumedCapacity":[{"CapacityUnits":1e308},{"CapacityUnits":1e308}]})", "scan");
  expect_malformed(R"({"Items":[],"ConsumedCapacity":{"CapacityUnits":1e308,"CapacityUnits":1e308}})", "scan");
  expect_malformed(R"({"ConsumedCapacity":{"CapacityUnits":-1}})", "delete");
  expect_malformed(R"({"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"Workers","CapacityUnits":-0.5}]})",
                   "batch");
}

TEST(protocol_fuzz_regressions, possible_consumed_capacity_still_parses) {
  std::string zero = R"({"ConsumedCapacity":{"CapacityUnits":-0.0}})";
  const auto result = protocol::parse_delete_item_result(zero);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->consumed_capacity, 0.0);
  // 25 items of 400 KB with 20 global secondary indexes: about 210,000 WCU in one batch.
  std::string large = R"({"Items":[],"ConsumedCapacity":[{"CapacityUnits":210000},{"CapacityUnits":0.5}]})";
  const auto page = protocol::parse_scan_page(large);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->consumed_capacity, 210000.5);
}

// Finite but more than any request can consume: a debt of 1e308 units is no wait a clock can
// hold (the token buckets' duration_cast would overflow), and the totals would reach infinity.
TEST(protocol_fuzz_regressions, capacity_beyond_any_one_request_is_malformed) {
  expect_malformed(R"({"Items":[],"ConsumedCapacity":{"CapacityUnits":1e308}})", "scan");
  expect_malformed(R"({"ConsumedCapacity":{"CapacityUnits":2e7}})", "delete");
}

}  // namespace
}  // namespace scavenger::dynamodb
