#include "scavenger/duration.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

using std::chrono::seconds;

TEST(parse_duration, reads_each_unit) {
  EXPECT_EQ(parse_duration("90s").value(), seconds(90));
  EXPECT_EQ(parse_duration("30m").value(), seconds(30 * 60));
  EXPECT_EQ(parse_duration("48h").value(), seconds(48 * 3600));
  EXPECT_EQ(parse_duration("7d").value(), seconds(7 * 86400));
}

TEST(parse_duration, reads_combinations_largest_unit_first) {
  EXPECT_EQ(parse_duration("1d12h").value(), seconds(86400 + 12 * 3600));
  EXPECT_EQ(parse_duration("1h30m15s").value(), seconds(3600 + 30 * 60 + 15));
  EXPECT_EQ(parse_duration("2d3h4m5s").value(), seconds(2 * 86400 + 3 * 3600 + 4 * 60 + 5));
  EXPECT_EQ(parse_duration("1d30m").value(), seconds(86400 + 30 * 60));
  EXPECT_EQ(parse_duration("36h90m").value(), seconds(36 * 3600 + 90 * 60));  // no carry limits
}

TEST(parse_duration, accepts_zero_parts_and_leading_zeros_when_the_total_is_positive) {
  EXPECT_EQ(parse_duration("0d5h").value(), seconds(5 * 3600));
  EXPECT_EQ(parse_duration("007d").value(), seconds(7 * 86400));
}

TEST(parse_duration, accepts_up_to_the_longest_duration) {
  EXPECT_EQ(parse_duration(std::to_string(max_duration.count()) + "s").value(), max_duration);
  EXPECT_EQ(parse_duration("106751d").value(), seconds(106751LL * 86400));
}

TEST(parse_duration, refuses_malformed_text) {
  for (const char* text :
       {"",    "0",      "90", "-5m", "+5m",  "5x",   "5ms",  "5S",   "5H",   "1.5h",  "1,5h",      "1 h", " 1h",
        "1h ", "1h 30m", "h",  "d1",  "1h1d", "1h1h", "1m1h", "1s1m", "1e3s", "5m-1s", "\xC2\xB5s", "1h\n"}) {
    const auto parsed = parse_duration(text);
    EXPECT_FALSE(parsed) << '"' << text << '"';
  }
}

TEST(parse_duration, refuses_zero) {
  EXPECT_FALSE(parse_duration("0s"));
  EXPECT_FALSE(parse_duration("0d0h0m0s"));
  EXPECT_FALSE(parse_duration("000m"));
}

TEST(parse_duration, refuses_overflow) {
  EXPECT_FALSE(parse_duration(std::to_string(max_duration.count() + 1) + "s"));
  EXPECT_FALSE(parse_duration("106752d"));
  EXPECT_FALSE(parse_duration("106751d24h"));
  EXPECT_FALSE(parse_duration("99999999999999999999999999d"));
  EXPECT_FALSE(parse_duration("9223372036854775807s"));
  EXPECT_FALSE(parse_duration("9223372036854775808s"));
}

TEST(parse_duration, error_names_the_input_and_shows_valid_forms_on_one_line) {
  const auto parsed = parse_duration("1.5h");
  ASSERT_FALSE(parsed);
  const std::string& message = parsed.error().message;
  EXPECT_NE(message.find("\"1.5h\""), std::string::npos) << message;
  EXPECT_NE(message.find("90s, 30m, 48h, 7d or 1d12h"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);

  EXPECT_NE(parse_duration("1h1d").error().message.find("out of order"), std::string::npos);
  EXPECT_NE(parse_duration("5x").error().message.find("unknown unit 'x'"), std::string::npos);
  EXPECT_NE(parse_duration("90").error().message.find("needs a unit"), std::string::npos);
  EXPECT_NE(parse_duration("0s").error().message.find("not positive"), std::string::npos);
  EXPECT_NE(parse_duration("106752d").error().message.find("longer than 106751d23h47m16s"), std::string::npos);
  EXPECT_NE(parse_duration("").error().message.find("empty"), std::string::npos);
}

TEST(format_duration, writes_the_canonical_form) {
  EXPECT_EQ(format_duration(seconds(90)), "1m30s");
  EXPECT_EQ(format_duration(seconds(86400 + 12 * 3600)), "1d12h");
  EXPECT_EQ(format_duration(seconds(48 * 3600)), "2d");
  EXPECT_EQ(format_duration(seconds(3600 + 15)), "1h15s");
  EXPECT_EQ(format_duration(seconds(59)), "59s");
  EXPECT_EQ(format_duration(seconds(0)), "0s");
  EXPECT_EQ(format_duration(seconds(-90)), "-1m30s");
  EXPECT_EQ(format_duration(max_duration), "106751d23h47m16s");
}

TEST(format_duration, round_trips_through_parse_duration) {
  for (const std::int64_t count : {1LL, 59LL, 60LL, 61LL, 3599LL, 3600LL, 86399LL, 86400LL, 90061LL, 172800LL, 604800LL,
                                   1234567890LL, static_cast<long long>(max_duration.count())}) {
    const auto text = format_duration(seconds(count));
    const auto parsed = parse_duration(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(parsed.value(), seconds(count)) << text;
  }
  for (const char* canonical : {"90s", "30m", "48h", "7d", "1d12h", "1h30m15s"}) {
    // "90s" and "48h" are not canonical; everything else is its own canonical form.
    const auto text = format_duration(parse_duration(canonical).value());
    EXPECT_EQ(parse_duration(text).value(), parse_duration(canonical).value()) << canonical;
  }
  EXPECT_EQ(format_duration(parse_duration("1h30m15s").value()), "1h30m15s");
  EXPECT_EQ(format_duration(parse_duration("90s").value()), "1m30s");
}

}  // namespace
}  // namespace scavenger::core
