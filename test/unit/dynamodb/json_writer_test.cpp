#include "dynamodb/json_writer.hpp"

#include <gtest/gtest.h>

#include "dynamodb/protocol.hpp"

namespace scavenger::dynamodb {
namespace {

TEST(json_writer, places_commas_and_nests) {
  json_writer out;
  out.begin_object().member("a", "x").key("b").begin_array().number(std::int64_t{1}).boolean(false).null().end_array();
  out.key("c").begin_object().end_object().member_raw("d", R"({"N":"1.5"})").end_object();
  EXPECT_EQ(out.str(), R"({"a":"x","b":[1,false,null],"c":{},"d":{"N":"1.5"}})");
}

TEST(json_writer, escapes_quotes_backslashes_and_control_characters) {
  std::string out;
  append_json_string(out, std::string("q\"b\\n\nt\tc\x01z\x7f\0!", 14));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\nt\\tc\\u0001z\x7f\\u0000!\"");
}

TEST(json_writer, leaves_utf8_unchanged) {
  std::string out;
  append_json_string(out, "b\xC3\xA5r \xE1\x88\xB4");
  EXPECT_EQ(out, "\"b\xC3\xA5r \xE1\x88\xB4\"");
}

TEST(json_writer, output_is_valid_json) {
  json_writer out;
  out.begin_object().member("k\"ey", "va\\l\x02ue").key("n").number(0.25).end_object();
  EXPECT_TRUE(protocol::validate_json_object(out.str()));
}

}  // namespace
}  // namespace scavenger::dynamodb
