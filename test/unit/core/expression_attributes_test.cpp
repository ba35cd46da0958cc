#include "scavenger/expression_attributes.hpp"

#include <gtest/gtest.h>

#include "json_object_assertions.hpp"

namespace scavenger::core {
namespace {

using testing::is_json_object;

constexpr std::string_view names_flag = "--expression-attribute-names";

TEST(user_members, returns_the_text_between_the_braces) {
  EXPECT_EQ(user_members(R"({"#Comp":"Completed"})", names_flag, reserved_name_prefix).value(),
            R"("#Comp":"Completed")");
  EXPECT_EQ(user_members(" {\n \"#a\" : \"A\" ,\"#b\":\"B\"\n} ", names_flag, reserved_name_prefix).value(),
            "\"#a\" : \"A\" ,\"#b\":\"B\"");
  EXPECT_EQ(
      user_members(R"({":v":{"M":{"k":{"L":[{"N":"1"}]}}}})", "--expression-attribute-values", reserved_value_prefix)
          .value(),
      R"(":v":{"M":{"k":{"L":[{"N":"1"}]}}})");
}

TEST(user_members, reads_empty_text_and_empty_objects_as_no_members) {
  EXPECT_EQ(user_members("", names_flag, reserved_name_prefix).value(), "");
  EXPECT_EQ(user_members("  ", names_flag, reserved_name_prefix).value(), "");
  EXPECT_EQ(user_members("{}", names_flag, reserved_name_prefix).value(), "");
  EXPECT_EQ(user_members(" { \n } ", names_flag, reserved_name_prefix).value(), "");
}

TEST(user_members, refuses_what_is_not_a_json_object) {
  for (const char* text : {"[1]", "\"#a\"", "42", "null", "true"}) {
    const auto members = user_members(text, names_flag, reserved_name_prefix);
    ASSERT_FALSE(members) << text;
    EXPECT_EQ(members.error().message.rfind("--expression-attribute-names is not a JSON object", 0), 0U)
        << members.error().message;
  }
  for (const char* text : {"{", "{\"#a\":}", "{\"#a\":\"A\"} {}", "{'#a':'A'}", "{\"#a\":\"A\",}", "#a=A"}) {
    const auto members = user_members(text, names_flag, reserved_name_prefix);
    ASSERT_FALSE(members) << text;
    EXPECT_EQ(members.error().message.rfind("--expression-attribute-names is not valid JSON", 0), 0U)
        << members.error().message;
    EXPECT_EQ(members.error().message.find('\n'), std::string::npos);
  }
}

TEST(user_members, refuses_reserved_placeholders) {
  const auto names = user_members(R"({"#a":"A","#scv_age":"B"})", names_flag, reserved_name_prefix);
  ASSERT_FALSE(names);
  EXPECT_EQ(names.error().message,
            "--expression-attribute-names uses \"#scv_age\", but placeholders starting with \"#scv_\" are reserved "
            "for scavenger: rename it");
  // Escapes do not hide the prefix.
  EXPECT_FALSE(user_members(R"({"#scv\u005fx":"A"})", names_flag, reserved_name_prefix));
  const auto values =
      user_members(R"({":scv_seen":{"S":"x"}})", "--expression-attribute-values", reserved_value_prefix);
  ASSERT_FALSE(values);
  EXPECT_NE(values.error().message.find("\":scv_seen\""), std::string::npos);
  // Only the object's own prefix is reserved, and only at the start, case-sensitively.
  EXPECT_TRUE(user_members(R"({"#my_scv_":"A","#SCV_x":"B"})", names_flag, reserved_name_prefix));
}

TEST(merge_members, joins_non_empty_lists_into_one_object) {
  EXPECT_EQ(merge_members({R"("a":1)", "", R"("b":2,"c":3)"}), R"({"a":1,"b":2,"c":3})");
  EXPECT_EQ(merge_members({"", R"("b":2)"}), R"({"b":2})");
  EXPECT_EQ(merge_members({"", ""}), "");
  EXPECT_EQ(merge_members({}), "");
  EXPECT_TRUE(is_json_object(merge_members(
      {user_members(" { \"#a\" : \"A\" } ", names_flag, reserved_name_prefix).value(), R"("#scv_k0":"WorkerId")"})));
}

}  // namespace
}  // namespace scavenger::core
