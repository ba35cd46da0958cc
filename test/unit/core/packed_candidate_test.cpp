#include "scavenger/packed_candidate.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

const dynamodb::item scanned{{"StartTime", R"({"S":"2026-11-20T10:00:00Z"})"},
                             {"WorkerId", R"({"N":"12345678901234567890.123"})"},
                             {"StartExecutionTime", R"({"S":"2026-11-20T10:00:01Z"})"}};

TEST(packed_candidate, gives_back_the_key_in_key_schema_order_and_the_age_byte_for_byte) {
  const std::vector<std::string> names{"WorkerId", "StartTime"};
  auto packed = packed_candidate::pack(scanned, names, R"({"S":"2026-11-20T10:00:01Z"})");
  ASSERT_TRUE(packed);
  const dynamodb::item expected{{"WorkerId", R"({"N":"12345678901234567890.123"})"},
                                {"StartTime", R"({"S":"2026-11-20T10:00:00Z"})"}};
  EXPECT_EQ(packed->key(names), expected);
  EXPECT_EQ(packed->seen_age(), R"({"S":"2026-11-20T10:00:01Z"})");
}

TEST(packed_candidate, a_hash_key_alone_and_no_age) {
  const std::vector<std::string> names{"StartTime"};
  auto packed = packed_candidate::pack(scanned, names, "");
  ASSERT_TRUE(packed);
  EXPECT_EQ(packed->key(names), (dynamodb::item{{"StartTime", R"({"S":"2026-11-20T10:00:00Z"})"}}));
  EXPECT_EQ(packed->seen_age(), "");
}

TEST(packed_candidate, an_item_without_a_key_attribute_has_none) {
  EXPECT_FALSE(packed_candidate::pack(scanned, {"WorkerId", "Missing"}, ""));
  EXPECT_FALSE(packed_candidate::pack(scanned, {"Missing"}, ""));
}

}  // namespace
}  // namespace scavenger::core
