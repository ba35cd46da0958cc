#include "scavenger/server_age_filter.hpp"

#include <gtest/gtest.h>

#include "aws/rfc3339.hpp"
#include "json_object_assertions.hpp"

namespace scavenger::core {
namespace {

using std::chrono::system_clock;
using testing::is_json_object;

system_clock::time_point at(std::string_view rfc3339) { return aws::parse_rfc3339(rfc3339).value(); }

TEST(server_age_filter, sends_the_exact_cutoff_in_seconds) {
  const auto clause = server_age_filter({"Stamp", age_format::epoch_seconds, at("2026-11-24T12:00:00Z")});
  EXPECT_EQ(clause.expression,
            "#scv_age < :scv_cutoff OR attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, :scv_n)");
  EXPECT_EQ(clause.value_members, R"(":scv_cutoff":{"N":"1795521600"},":scv_n":{"S":"N"})");
  EXPECT_TRUE(is_json_object("{" + clause.value_members + "}"));
}

TEST(server_age_filter, sends_fractions_of_the_unit) {
  EXPECT_EQ(server_age_filter({"Stamp", age_format::epoch_seconds, at("2026-11-24T12:00:00.25Z")}).value_members,
            R"(":scv_cutoff":{"N":"1795521600.25"},":scv_n":{"S":"N"})");
  EXPECT_EQ(server_age_filter({"Stamp", age_format::epoch_millis, at("2026-11-24T12:00:00.25Z")}).value_members,
            R"(":scv_cutoff":{"N":"1795521600250"},":scv_n":{"S":"N"})");
  EXPECT_EQ(server_age_filter({"Stamp", age_format::epoch_millis, at("2026-11-24T12:00:00.000250001Z")}).value_members,
            R"(":scv_cutoff":{"N":"1795521600000.250001"},":scv_n":{"S":"N"})");
}

TEST(server_age_filter, bounds_rfc3339_strings_one_day_past_the_cutoff) {
  const auto clause = server_age_filter({"Stamp", age_format::rfc3339, at("2026-11-24T12:00:00Z")});
  EXPECT_EQ(clause.expression,
            "#scv_age < :scv_cutoff_prefix OR attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, :scv_s)");
  // Lower-case 't': both spellings of the separator sort at or below it.
  EXPECT_EQ(clause.value_members, R"(":scv_cutoff_prefix":{"S":"2026-11-25t12:00:00Z"},":scv_s":{"S":"S"})");
  EXPECT_TRUE(is_json_object("{" + clause.value_members + "}"));
}

// The text `instant` spells in local time at `offset_minutes` east of UTC, with `separator`.
std::string local_text(system_clock::time_point instant, int offset_minutes, char separator, char zulu) {
  std::string text = aws::format_rfc3339_utc(instant + std::chrono::minutes(offset_minutes));
  text[10] = separator;
  text.pop_back();  // 'Z'
  if (offset_minutes == 0) return text + zulu;
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  const auto two_digits = [](int value) {
    return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
  };
  return text + (offset_minutes < 0 ? '-' : '+') + two_digits(magnitude / 60) + ':' + two_digits(magnitude % 60);
}

// The prefilter's promise: every item the exact rule calls old passes the server's string
// comparison, whatever its offset, separator case or fraction.
TEST(server_age_filter, lets_every_old_rfc3339_item_through) {
  const auto cutoff = at("2026-11-24T12:00:00.5Z");
  const age_rule rule{"Stamp", age_format::rfc3339, cutoff};
  const std::string bound = "2026-11-25t12:00:00.5Z";
  ASSERT_EQ(server_age_filter(rule).value_members,
            R"(":scv_cutoff_prefix":{"S":")" + bound + R"("},":scv_s":{"S":"S"})");
  int old_items = 0;
  int young_items_through = 0;
  for (auto instant = cutoff - std::chrono::hours(49); instant < cutoff + std::chrono::hours(49);
       instant += std::chrono::seconds(433) + std::chrono::milliseconds(250)) {
    for (const int offset : {-23 * 60 - 59, -12 * 60, -30, 0, 5 * 60 + 45, 14 * 60, 23 * 60 + 59}) {
      for (const char separator : {'T', 't'}) {
        const std::string text = local_text(instant, offset, separator, separator == 'T' ? 'Z' : 'z');
        ASSERT_EQ(aws::parse_rfc3339(text), instant) << text;
        const bool through = text < bound;
        if (classify(rule, R"({"S":")" + text + "\"}") == age_verdict::old_enough) {
          ++old_items;
          EXPECT_TRUE(through) << text << " is old but the server would drop it";
        } else if (through) {
          ++young_items_through;
        }
        // How loose the bound is: exact for the lower-case spelling (local time before the
        // bound), whole days for the upper-case one (local date at most the bound's).
        if (through && separator == 't') {
          EXPECT_LT(instant + std::chrono::minutes(offset), cutoff + std::chrono::days(1)) << text;
        }
        if (through) {
          EXPECT_LE(text.substr(0, 10), bound.substr(0, 10)) << text;
        }
      }
    }
  }
  EXPECT_GT(old_items, 1000);
  EXPECT_GT(young_items_through, 0);  // the margin is real: some young items pass too
}

}  // namespace
}  // namespace scavenger::core
