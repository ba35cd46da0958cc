#include "scavenger/cursor_json.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

const std::vector<segment_cursor> cursors = {
    {2, R"({"WorkerId":{"N":"12345678901234567890.123"},"StartTime":{"S":"2026-11-20T08:15:00Z"}})", false},
    {3, R"({"Id":{"B":"AAEC/+8="}})", false},
    {4, R"({"Name":{"S":"bår \u00e9\"\\ 日本"}})", false},
    {5, "", true},
    {6, "", false},
};

std::string written(const std::vector<segment_cursor>& list) {
  dynamodb::json_writer out;
  write_cursors(out, list);
  return std::move(out).str();
}

TEST(cursor_json, writes_the_spec_shape) {
  EXPECT_EQ(written({{1, R"({"K":{"N":"1"}})", false}, {2, "", true}}),
            R"([{"segment":1,"start_key":{"K":{"N":"1"}},"done":false},{"segment":2,"start_key":null,"done":true}])");
  EXPECT_EQ(written({}), "[]");
}

TEST(cursor_json, round_trips_byte_for_byte) {
  const auto parsed = parse_cursors(written(cursors));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, cursors);
}

TEST(cursor_json, keeps_a_start_key_exactly_as_given) {
  const auto parsed = parse_cursors(R"( [ {"done": false, "start_key": { "K" : {"N": "1.50"} }, "segment": 7, "x": 1} ] )");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, (std::vector<segment_cursor>{{7, R"({ "K" : {"N": "1.50"} })", false}}));
}

TEST(cursor_json, names_the_field_in_error) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "not valid JSON"},
      {"[{]", "not valid JSON"},
      {"[] []", "not valid JSON"},
      {"{}", R"("cursors" is not an array)"},
      {"[1]", R"("cursors[]" is not an object)"},
      {R"([{"start_key":null,"done":true}])", R"(no "cursors[].segment" field)"},
      {R"([{"segment":1,"done":true}])", R"(no "cursors[].start_key" field)"},
      {R"([{"segment":1,"start_key":null}])", R"(no "cursors[].done" field)"},
      {R"([{"segment":-1,"start_key":null,"done":true}])", R"("cursors[].segment" is not)"},
      {R"([{"segment":1.5,"start_key":null,"done":true}])", R"("cursors[].segment" is not)"},
      {R"([{"segment":1,"start_key":"k","done":true}])", R"("cursors[].start_key" is not an object or null)"},
      {R"([{"segment":1,"start_key":null,"done":"yes"}])", R"("cursors[].done" is not true or false)"},
  };
  for (const auto& [text, expected] : cases) {
    const auto parsed = parse_cursors(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << text << ": " << parsed.error().message;
  }
}

TEST(check_cursors, accepts_every_owned_segment_once_in_any_order) {
  // Shard 1/2 of 13 segments owns [6, 13).
  std::vector<segment_cursor> list;
  for (int segment = 12; segment >= 6; --segment) list.push_back({segment, "", false});
  EXPECT_EQ(check_cursors(list, {1, 2}, 13), std::nullopt);
  list.pop_back();
  EXPECT_EQ(check_cursors(list, {1, 2}, 13), "no cursor for segment 6");
}

TEST(check_cursors, names_stray_repeated_and_missing_segments) {
  const std::vector<segment_cursor> owned_by_0_of_2 = {{0, "", false}, {1, "", false}, {2, "", true}};
  EXPECT_EQ(check_cursors(owned_by_0_of_2, {0, 2}, 6), std::nullopt);
  auto stray = owned_by_0_of_2;
  stray.push_back({3, "", false});
  EXPECT_EQ(check_cursors(stray, {0, 2}, 6), "a cursor for segment 3, which shard 0/2 of 6 segments does not own");
  auto repeated = owned_by_0_of_2;
  repeated.push_back({1, "", true});
  EXPECT_EQ(check_cursors(repeated, {0, 2}, 6), "two cursors for segment 1");
  auto missing = owned_by_0_of_2;
  missing.erase(missing.begin() + 1);
  EXPECT_EQ(check_cursors(missing, {0, 2}, 6), "no cursor for segment 1");
  EXPECT_TRUE(check_cursors({}, {0, 4}, 3));  // more shards than segments
}

}  // namespace
}  // namespace scavenger::core
