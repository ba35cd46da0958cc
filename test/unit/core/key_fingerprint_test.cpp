#include "scavenger/key_fingerprint.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

TEST(key_fingerprint, equal_keys_spelled_differently_compare_equal) {
  dynamodb::item ours{{"k", R"({"S":"b\u00e5r"})"}, {"n", R"({"N":"12345678901234567890.123"})"}};
  dynamodb::item theirs{{"n", R"({"N":"12345678901234567890.123"})"}, {"k", "{\"S\":\"b\xC3\xA5r\"}"}};
  ASSERT_TRUE(key_fingerprint(ours));
  EXPECT_EQ(key_fingerprint(ours), key_fingerprint(theirs));
}

TEST(key_fingerprint, different_keys_differ) {
  EXPECT_NE(key_fingerprint({{"k", R"({"S":"1"})"}}), key_fingerprint({{"k", R"({"N":"1"})"}}));
  EXPECT_NE(key_fingerprint({{"k", R"({"S":"ab"})"}, {"j", R"({"S":"c"})"}}),
            key_fingerprint({{"k", R"({"S":"a"})"}, {"j", R"({"S":"bc"})"}}));
  EXPECT_NE(key_fingerprint({{"k", R"({"B":"AAE="})"}}), key_fingerprint({{"k", R"({"B":"AAI="})"}}));
}

TEST(key_fingerprint, a_non_scalar_value_has_none) { EXPECT_FALSE(key_fingerprint({{"k", R"({"L":[]})"}})); }

}  // namespace
}  // namespace scavenger::core
