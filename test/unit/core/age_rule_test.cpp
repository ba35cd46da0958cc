#include "scavenger/age_rule.hpp"

#include <gtest/gtest.h>

#include "aws/rfc3339.hpp"

namespace scavenger::core {
namespace {

using std::chrono::system_clock;

system_clock::time_point at(std::string_view rfc3339) {
  const auto parsed = aws::parse_rfc3339(rfc3339);
  EXPECT_TRUE(parsed) << rfc3339;
  return parsed.value_or(system_clock::time_point{});
}

system_clock::time_point at_epoch(std::chrono::nanoseconds since_epoch) {
  return system_clock::time_point{std::chrono::duration_cast<system_clock::duration>(since_epoch)};
}

age_rule rule(age_format format, system_clock::time_point cutoff) { return age_rule{"Stamp", format, cutoff}; }

std::string s_value(std::string_view text) { return R"({"S":")" + std::string(text) + "\"}"; }
std::string n_value(std::string_view text) { return R"({"N":")" + std::string(text) + "\"}"; }

TEST(age_format, parses_the_three_names) {
  EXPECT_EQ(parse_age_format("rfc3339").value(), age_format::rfc3339);
  EXPECT_EQ(parse_age_format("epoch-seconds").value(), age_format::epoch_seconds);
  EXPECT_EQ(parse_age_format("epoch-millis").value(), age_format::epoch_millis);
  for (const auto format : {age_format::rfc3339, age_format::epoch_seconds, age_format::epoch_millis}) {
    EXPECT_EQ(parse_age_format(to_string(format)).value(), format);
  }
}

TEST(age_format, refuses_other_names_naming_the_valid_ones) {
  for (const char* text : {"", "RFC3339", "epoch_seconds", "epoch-ms", "epoch", "iso8601", " rfc3339"}) {
    EXPECT_FALSE(parse_age_format(text)) << text;
  }
  const auto parsed = parse_age_format("epoch-ms");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "invalid age format \"epoch-ms\": use rfc3339, epoch-seconds or epoch-millis");
}

TEST(age_verdict, has_names_for_logs) {
  EXPECT_EQ(to_string(age_verdict::old_enough), "old_enough");
  EXPECT_EQ(to_string(age_verdict::young), "young");
  EXPECT_EQ(to_string(age_verdict::invalid), "invalid");
}

class rfc3339_age : public ::testing::Test {
 protected:
  age_verdict verdict(std::string_view text) const { return classify(rule_, s_value(text)); }
  age_rule rule_ = rule(age_format::rfc3339, at("2026-11-24T12:00:00Z"));
};

TEST_F(rfc3339_age, is_old_strictly_before_the_cutoff) {
  EXPECT_EQ(verdict("2026-11-20T08:15:00Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T11:59:59Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T11:59:59.999999Z"), age_verdict::old_enough);  // a microsecond before
  EXPECT_EQ(verdict("2026-11-24T12:00:00Z"), age_verdict::young);              // exactly at the cutoff
  EXPECT_EQ(verdict("2026-11-24T12:00:00.000001Z"), age_verdict::young);
  EXPECT_EQ(verdict("2030-01-01T00:00:00Z"), age_verdict::young);
  EXPECT_EQ(verdict("1970-01-01T00:00:00Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1900-01-01T00:00:00Z"), age_verdict::old_enough);
}

TEST_F(rfc3339_age, honours_offsets) {
  EXPECT_EQ(verdict("2026-11-24T13:59:59+02:00"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T14:00:00+02:00"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24T06:59:59-05:00"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T07:00:00-05:00"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-25T11:58:59+23:59"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-25T11:59:00+23:59"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24T12:00:00-00:00"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24T17:44:59.5+05:45"), age_verdict::old_enough);
}

TEST_F(rfc3339_age, accepts_lower_case_separators) {
  EXPECT_EQ(verdict("2026-11-24t11:00:00z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24t12:00:00z"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24t13:00:00+01:00"), age_verdict::young);
}

TEST_F(rfc3339_age, compares_fractions_exactly) {
  EXPECT_EQ(verdict("2026-11-24T11:59:59.9999999999Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T12:00:00.0000000001Z"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24T12:00:00.000000000Z"), age_verdict::young);

  rule_.cutoff = at("2026-11-24T12:00:00.5Z");
  EXPECT_EQ(verdict("2026-11-24T12:00:00.4999999999Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T12:00:00.499999999Z"), age_verdict::old_enough);
  EXPECT_EQ(verdict("2026-11-24T12:00:00.5Z"), age_verdict::young);
  EXPECT_EQ(verdict("2026-11-24T12:00:00.50000000001Z"), age_verdict::young);
}

TEST_F(rfc3339_age, decodes_escaped_strings) {
  EXPECT_EQ(classify(rule_, R"({"S":"\u0032026-11-24T11:00:00Z"})"), age_verdict::old_enough);
  EXPECT_EQ(classify(rule_, R"({"\u0053":"2026-11-24T11:00:00\u005a"})"), age_verdict::old_enough);
  EXPECT_EQ(classify(rule_, R"({"S":"\u0032026-11-24T13:00:00Z"})"), age_verdict::young);
}

TEST_F(rfc3339_age, calls_missing_mistyped_and_unparsable_values_invalid) {
  EXPECT_EQ(classify(rule_, std::nullopt), age_verdict::invalid);
  for (const char* raw :
       {R"({"N":"1732000000"})", R"({"NULL":true})", R"({"L":[{"S":"2026-11-20T08:15:00Z"}]})",
        R"({"SS":["2026-11-20T08:15:00Z"]})", R"({"B":"AAEC"})", R"({"S":""})", R"({"S":"yesterday"})",
        R"({"S":"2026-11-20T08:15:00"})", R"({"S":"2026-11-20"})", R"({"S":"2026-11-20 08:15:00Z"})",
        R"({"S":"2026-02-30T08:15:00Z"})", R"({"S":" 2026-11-20T08:15:00Z"})", R"({"S":"1732000000"})", "not json", "",
        R"({"S":"2026-11-20T08:15:00Z")"}) {
    EXPECT_EQ(classify(rule_, std::string_view(raw)), age_verdict::invalid) << raw;
  }
}

class epoch_seconds_age : public ::testing::Test {
 protected:
  age_verdict verdict(std::string_view text) const { return classify(rule_, n_value(text)); }
  age_rule rule_ = rule(age_format::epoch_seconds, at_epoch(std::chrono::seconds(1'732'000'000)));
};

TEST_F(epoch_seconds_age, compares_integers) {
  EXPECT_EQ(verdict("1731999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000"), age_verdict::young);
  EXPECT_EQ(verdict("1732000001"), age_verdict::young);
  EXPECT_EQ(verdict("0"), age_verdict::old_enough);
}

TEST_F(epoch_seconds_age, compares_decimals_without_rounding) {
  EXPECT_EQ(verdict("1732000000.0"), age_verdict::young);
  EXPECT_EQ(verdict("1731999999.999999"), age_verdict::old_enough);  // a microsecond before
  EXPECT_EQ(verdict("1731999999.9999999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000.0000000001"), age_verdict::young);

  rule_.cutoff = at_epoch(std::chrono::seconds(1'732'000'000) + std::chrono::milliseconds(500));
  EXPECT_EQ(verdict("1732000000.4999999999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000.5"), age_verdict::young);
}

TEST_F(epoch_seconds_age, applies_exponents) {
  EXPECT_EQ(verdict("1.732e9"), age_verdict::young);
  EXPECT_EQ(verdict("1.731999999E9"), age_verdict::old_enough);
  EXPECT_EQ(verdict("17319999995e-1"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1.7e9"), age_verdict::old_enough);
}

TEST_F(epoch_seconds_age, handles_negative_and_huge_values) {
  EXPECT_EQ(verdict("-1"), age_verdict::old_enough);
  EXPECT_EQ(verdict("-1e30"), age_verdict::old_enough);
  EXPECT_EQ(verdict("-99999999999999999999999999999999999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("99999999999999999999999999999999999999"), age_verdict::young);
  EXPECT_EQ(verdict("9223372036854775808"), age_verdict::young);
  EXPECT_EQ(verdict("1e30"), age_verdict::young);

  rule_.cutoff = at_epoch(std::chrono::seconds(-100));  // a cutoff before 1970
  EXPECT_EQ(verdict("-101"), age_verdict::old_enough);
  EXPECT_EQ(verdict("-100.5"), age_verdict::old_enough);
  EXPECT_EQ(verdict("-100"), age_verdict::young);
  EXPECT_EQ(verdict("-99.99"), age_verdict::young);
  EXPECT_EQ(verdict("0"), age_verdict::young);
}

TEST_F(epoch_seconds_age, decodes_escaped_strings) {
  EXPECT_EQ(classify(rule_, R"({"N":"\u0031731999999"})"), age_verdict::old_enough);
  EXPECT_EQ(classify(rule_, R"({"N":"173200000\u0030"})"), age_verdict::young);
}

TEST_F(epoch_seconds_age, calls_missing_mistyped_and_unparsable_values_invalid) {
  EXPECT_EQ(classify(rule_, std::nullopt), age_verdict::invalid);
  for (const char* raw :
       {R"({"S":"1731999999"})", R"({"S":"2026-11-20T08:15:00Z"})", R"({"NULL":true})", R"({"BOOL":true})",
        R"({"L":[{"N":"1"}]})", R"({"NS":["1"]})", R"({"N":1731999999})", R"({"N":""})", R"({"N":"abc"})",
        R"({"N":"1e"})", R"({"N":"0x10"})", R"({"N":"1 "})", R"({"N":"+1"})", R"({"N":"NaN"})", "{", ""}) {
    EXPECT_EQ(classify(rule_, std::string_view(raw)), age_verdict::invalid) << raw;
  }
}

class epoch_millis_age : public ::testing::Test {
 protected:
  age_verdict verdict(std::string_view text) const { return classify(rule_, n_value(text)); }
  age_rule rule_ = rule(age_format::epoch_millis, at_epoch(std::chrono::seconds(1'732'000'000)));
};

TEST_F(epoch_millis_age, compares_in_milliseconds) {
  EXPECT_EQ(verdict("1731999999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000000"), age_verdict::young);
  EXPECT_EQ(verdict("1731999999999.999"), age_verdict::old_enough);  // a microsecond before
  EXPECT_EQ(verdict("1731999999999.9999999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1.732e12"), age_verdict::young);
  EXPECT_EQ(verdict("1.731999999999e12"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000"), age_verdict::old_enough);  // seconds read as millis: 1970
  EXPECT_EQ(verdict("-5"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1e30"), age_verdict::young);
  EXPECT_EQ(classify(rule_, R"({"S":"1731999999999"})"), age_verdict::invalid);
  EXPECT_EQ(classify(rule_, std::nullopt), age_verdict::invalid);
}

TEST_F(epoch_millis_age, keeps_sub_millisecond_cutoffs) {
  rule_.cutoff = at_epoch(std::chrono::seconds(1'732'000'000) + std::chrono::microseconds(500));
  EXPECT_EQ(verdict("1732000000000"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000000.4999"), age_verdict::old_enough);
  EXPECT_EQ(verdict("1732000000000.5"), age_verdict::young);
}

TEST(epoch_cutoff, is_the_cutoff_in_nanoseconds_with_the_unit_as_scale) {
  const auto cutoff = at_epoch(std::chrono::seconds(1'732'000'000) + std::chrono::nanoseconds(7));
  const auto seconds = epoch_cutoff_of(rule(age_format::epoch_seconds, cutoff));
  EXPECT_EQ(seconds.scaled, 1'732'000'000'000'000'007);
  EXPECT_EQ(seconds.scale, 9);
  const auto millis = epoch_cutoff_of(rule(age_format::epoch_millis, cutoff));
  EXPECT_EQ(millis.scaled, 1'732'000'000'000'000'007);
  EXPECT_EQ(millis.scale, 6);
}

}  // namespace
}  // namespace scavenger::core
