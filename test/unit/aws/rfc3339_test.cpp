#include "aws/rfc3339.hpp"

#include <chrono>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace scavenger::aws {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

sys_time<nanoseconds> at(year_month_day date, nanoseconds time_of_day = 0ns) { return sys_days{date} + time_of_day; }

void expect_parses_to(std::string_view text, sys_time<nanoseconds> expected) {
  const auto parsed = parse_rfc3339(text);
  ASSERT_TRUE(parsed.has_value()) << text;
  EXPECT_EQ(time_point_cast<nanoseconds>(*parsed), expected) << text;
}

TEST(Rfc3339Parse, UtcWithUpperAndLowerCaseDesignators) {
  const auto expected = at(2026y / November / 24, 12h);
  expect_parses_to("2026-11-24T12:00:00Z", expected);
  expect_parses_to("2026-11-24t12:00:00z", expected);
  expect_parses_to("2026-11-24T12:00:00z", expected);
  expect_parses_to("2026-11-24t12:00:00Z", expected);
}

TEST(Rfc3339Parse, NumericOffsetsAreSubtractedToGetUtc) {
  const auto expected = at(2026y / November / 24, 12h);
  expect_parses_to("2026-11-24T17:30:00+05:30", expected);
  expect_parses_to("2026-11-24T04:00:00-08:00", expected);
  expect_parses_to("2026-11-24T12:00:00+00:00", expected);
  expect_parses_to("2026-11-24T12:00:00-00:00", expected);  // RFC 3339 §4.3: unknown local offset, UTC
  // Offsets that cross a day, a month and a year boundary.
  expect_parses_to("2027-01-01T01:00:00+13:00", at(2026y / December / 31, 12h));
  expect_parses_to("2026-12-31T23:59:00-23:59", at(2027y / January / 1, 23h + 58min));
}

TEST(Rfc3339Parse, FractionalSecondsKeepNanosecondPrecision) {
  const auto second = at(2026y / November / 24, 12h);
  expect_parses_to("2026-11-24T12:00:00.5Z", second + 500ms);
  expect_parses_to("2026-11-24T12:00:00.000001Z", second + 1us);
  expect_parses_to("2026-11-24T12:00:00.123456Z", second + 123456us);
  expect_parses_to("2026-11-24T12:00:00.123456789Z", second + 123456789ns);
  expect_parses_to("2026-11-24T12:00:00.000000000Z", second);
  // Digits past the ninth are truncated, not rounded.
  expect_parses_to("2026-11-24T12:00:00.9999999999999Z", second + 999999999ns);
  expect_parses_to("2026-11-24T12:00:00.25+01:00", second - 1h + 250ms);
}

TEST(Rfc3339Parse, CalendarIsChecked) {
  expect_parses_to("2024-02-29T00:00:00Z", at(2024y / February / 29));
  expect_parses_to("2000-02-29T00:00:00Z", at(2000y / February / 29));  // divisible by 400
  expect_parses_to("2026-04-30T00:00:00Z", at(2026y / April / 30));
  expect_parses_to("2026-12-31T23:59:59Z", at(2026y / December / 31, 23h + 59min + 59s));
  for (const char* invalid : {"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                              "2026-06-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                              "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(invalid).has_value()) << invalid;
  }
}

TEST(Rfc3339Parse, TimeFieldsAreRangeChecked) {
  expect_parses_to("2026-11-24T23:59:59Z", at(2026y / November / 24, 23h + 59min + 59s));
  expect_parses_to("2026-11-24T00:00:00Z", at(2026y / November / 24));
  for (const char* invalid : {"2026-11-24T24:00:00Z", "2026-11-24T12:60:00Z", "2026-11-24T12:00:61Z",
                              "2026-11-24T12:00:00+24:00", "2026-11-24T12:00:00+01:60"}) {
    EXPECT_FALSE(parse_rfc3339(invalid).has_value()) << invalid;
  }
}

TEST(Rfc3339Parse, LeapSecondOnlyAtTheEndOfAUtcDayAndMapsToTheNextSecond) {
  const auto next_day = at(2017y / January / 1);
  expect_parses_to("2016-12-31T23:59:60Z", next_day);
  expect_parses_to("2016-12-31T23:59:60.5Z", next_day + 500ms);
  expect_parses_to("2016-12-31T15:59:60-08:00", next_day);  // 23:59:60 UTC
  expect_parses_to("2017-01-01T05:29:60+05:30", next_day);
  EXPECT_FALSE(parse_rfc3339("2016-12-31T12:00:60Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2016-12-31T23:59:60+01:00").has_value());  // 22:59:60 UTC
  EXPECT_FALSE(parse_rfc3339("2016-12-31T23:58:60Z").has_value());
}

TEST(Rfc3339Parse, MalformedTextIsRefused) {
  for (const char* invalid : {
           "",
           "2026-11-24",
           "2026-11-24T12:00:00",          // the offset is required
           "2026-11-24T12:00Z",            // so are seconds
           "2026-11-24 12:00:00Z",         // RFC 3339's space variant is not ISO/RFC 3339 proper
           "2026-11-24T12:00:00Z ",        // trailing space
           "2026-11-24T12:00:00ZZ",        // trailing junk
           "2026-11-24T12:00:00+01:00x",   //
           " 2026-11-24T12:00:00Z",        // leading space
           "2026-11-24T12:00:00.Z",        // a dot needs digits
           "2026-11-24T12:00:00,5Z",       // comma fractions are ISO 8601 only
           "2026-11-24T12:00:00+0100",     // the offset needs its colon
           "2026-11-24T12:00:00+01",       //
           "2026-11-24T12:00:00+1:00",     //
           "2026-11-24T12:00:00UTC",       //
           "2026/11/24T12:00:00Z",         //
           "2026-1a-24T12:00:00Z",         //
           "+2026-11-24T12:00:00Z",        //
           "26-11-24T12:00:00Z",           //
           "2026-11-24T1:00:00Z",          //
           "2026-11-24T12:00:0aZ",         //
           "2026-11-24T12:00:00.5.5Z",     //
           "1600-01-01T00:00:00Z",         // before system_clock's range
           "9999-12-31T23:59:59Z",         // after it
       }) {
    EXPECT_FALSE(parse_rfc3339(invalid).has_value()) << '"' << invalid << '"';
  }
}

TEST(Rfc3339Parse, RangeEndsAreAccepted) {
  expect_parses_to("1678-01-01T00:00:00Z", at(1678y / January / 1));
  expect_parses_to("2261-12-31T23:59:59.999999999Z", at(2261y / December / 31, 24h - 1ns));
  expect_parses_to("1970-01-01T00:00:00Z", sys_time<nanoseconds>{});
  expect_parses_to("1969-12-31T23:59:59.5Z", sys_time<nanoseconds>{} - 500ms);
}

TEST(Rfc3339Format, WholeSecondsHaveNoFraction) {
  EXPECT_EQ(format_rfc3339_utc(at(2026y / November / 24, 12h)), "2026-11-24T12:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(at(2024y / February / 29, 23h + 59min + 59s)), "2024-02-29T23:59:59Z");
}

TEST(Rfc3339Format, FractionsDropTrailingZeros) {
  const auto second = at(2026y / November / 24, 12h);
  EXPECT_EQ(format_rfc3339_utc(second + 250ms), "2026-11-24T12:00:00.25Z");
  EXPECT_EQ(format_rfc3339_utc(second + 1ns), "2026-11-24T12:00:00.000000001Z");
  EXPECT_EQ(format_rfc3339_utc(second + 123456us), "2026-11-24T12:00:00.123456Z");
  EXPECT_EQ(format_rfc3339_utc(sys_time<nanoseconds>{} - 500ms), "1969-12-31T23:59:59.5Z");
  EXPECT_EQ(format_rfc3339_utc(at(1700y / March / 1, 1h + 2min + 3s)), "1700-03-01T01:02:03Z");
}

TEST(Rfc3339RoundTrip, FormatThenParseGivesTheSameInstant) {
  std::mt19937_64 random(20261124);  // fixed seed: a failure reproduces
  std::uniform_int_distribution<std::int64_t> nanoseconds_since_epoch(
      (sys_days{1700y / January / 1}.time_since_epoch() / 1ns), (sys_days{2200y / January / 1}.time_since_epoch() / 1ns));
  for (int i = 0; i < 10'000; ++i) {
    const system_clock::time_point time{nanoseconds(nanoseconds_since_epoch(random))};
    const std::string text = format_rfc3339_utc(time);
    const auto parsed = parse_rfc3339(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    ASSERT_EQ(*parsed, time) << text;
  }
}

}  // namespace
}  // namespace scavenger::aws
