#include "scavenger/attribute_value.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

std::optional<std::string> text_of(std::string_view raw, std::string_view type) {
  std::string scratch;
  const auto text = scalar_text(raw, type, scratch);
  if (!text) return std::nullopt;
  return std::string(*text);
}

TEST(scalar_text, reads_the_member_of_the_expected_type) {
  EXPECT_EQ(text_of(R"({"S":"2026-11-20T08:15:00Z"})", "S"), "2026-11-20T08:15:00Z");
  EXPECT_EQ(text_of(R"({"N":"1732000000"})", "N"), "1732000000");
  EXPECT_EQ(text_of(R"({"S":""})", "S"), "");
}

TEST(scalar_text, points_into_the_raw_text_when_there_is_nothing_to_decode) {
  const std::string raw = R"({"N":"1732000000.5"})";
  std::string scratch;
  const auto text = scalar_text(raw, "N", scratch);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->data(), raw.data() + 6);
  EXPECT_EQ(text->size(), 12U);
  EXPECT_TRUE(scratch.empty());
}

TEST(scalar_text, allows_whitespace_between_tokens) { EXPECT_EQ(text_of(" {\n\t\"N\" :\r \"1\" } \n", "N"), "1"); }

TEST(scalar_text, decodes_escapes) {
  std::string scratch;
  const std::string raw = R"({"S":"\u0032026-11-20T08:15:00Z"})";
  const auto text = scalar_text(raw, "S", scratch);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "2026-11-20T08:15:00Z");
  EXPECT_EQ(text->data(), scratch.data());

  EXPECT_EQ(text_of(R"({"S":"a\"b\\c\/d\b\f\n\r\t"})", "S"), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(text_of(R"({"S":"\u00e5\u1234"})", "S"), "\xC3\xA5\xE1\x88\xB4");
  EXPECT_EQ(text_of(R"({"S":"\ud83d\ude00"})", "S"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(text_of(R"({"\u0053":"x"})", "S"), "x");  // an escaped type name
  EXPECT_EQ(text_of(R"({"\u004E":"\u0031"})", "N"), "1");
}

TEST(scalar_text, refuses_bad_escapes) {
  for (const char* raw : {R"({"S":"\x"})", R"({"S":"\u12"})", R"({"S":"\u12g4"})", R"({"S":"\ud83d"})",
                          R"({"S":"\ud83dx"})", R"({"S":"\ude00"})", R"({"S":"\ud83d\u0041"})", "{\"S\":\"\\\"}"}) {
    EXPECT_FALSE(text_of(raw, "S")) << raw;
  }
}

TEST(scalar_text, refuses_other_types) {
  EXPECT_FALSE(text_of(R"({"N":"1"})", "S"));
  EXPECT_FALSE(text_of(R"({"S":"1"})", "N"));
  EXPECT_FALSE(text_of(R"({"NULL":true})", "S"));
  EXPECT_FALSE(text_of(R"({"BOOL":false})", "N"));
  EXPECT_FALSE(text_of(R"({"L":[{"S":"x"}]})", "S"));
  EXPECT_FALSE(text_of(R"({"M":{"S":{"S":"x"}}})", "S"));
  EXPECT_FALSE(text_of(R"({"SS":["x"]})", "S"));
  EXPECT_FALSE(text_of(R"({"NS":["1"]})", "N"));
  EXPECT_FALSE(text_of(R"({"B":"AAEC"})", "S"));
  EXPECT_FALSE(text_of(R"({"s":"x"})", "S"));  // type names are case-sensitive
}

TEST(scalar_text, refuses_other_shapes) {
  for (const char* raw : {"", "{}", "[]", "\"x\"", "null", R"({"N":1})", R"({"S":null})", R"({"S":"x","N":"1"})",
                          R"({"S":"x"} x)", R"({"S":"x"}})", R"({"S":"x")", R"({"S":"x})", R"({"S" "x"})",
                          R"({"S":"x",})", R"({S:"x"})", R"(["S","x"])", "{\"S\":\"a\tb\"}", "{\"S\":\"a\nb\"}"}) {
    EXPECT_FALSE(text_of(raw, "S")) << raw;
  }
}

}  // namespace
}  // namespace scavenger::core
