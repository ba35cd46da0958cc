#include "scavenger/decimal.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace scavenger::core {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t cutoff_ns = 1'732'000'000'000'000'000;  // 1732000000 s

const auto less = std::strong_ordering::less;
const auto equal = std::strong_ordering::equal;
const auto greater = std::strong_ordering::greater;

std::strong_ordering compare(std::string_view number, std::int64_t scaled, int scale) {
  const auto order = compare_decimal(number, scaled, scale);
  EXPECT_TRUE(order) << number;
  return order.value_or(equal);
}

TEST(compare_decimal, compares_integers_with_a_scaled_value) {
  EXPECT_EQ(compare("1732000000", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("1731999999", cutoff_ns, 9), less);
  EXPECT_EQ(compare("1732000001", cutoff_ns, 9), greater);
  EXPECT_EQ(compare("173200000", cutoff_ns, 9), less);       // one digit fewer
  EXPECT_EQ(compare("17320000000", cutoff_ns, 9), greater);  // one digit more
  EXPECT_EQ(compare("42", 42, 0), equal);
  EXPECT_EQ(compare("0042", 42, 0), equal);
}

TEST(compare_decimal, compares_fractions_digit_by_digit) {
  EXPECT_EQ(compare("1732000000.5", cutoff_ns + 500'000'000, 9), equal);
  EXPECT_EQ(compare("1732000000.50000", cutoff_ns + 500'000'000, 9), equal);
  EXPECT_EQ(compare("1732000000.499999999999", cutoff_ns + 500'000'000, 9), less);
  EXPECT_EQ(compare("1732000000.5000000001", cutoff_ns + 500'000'000, 9), greater);
  // A double holds about 16 digits: it would call these two equal to the cutoff.
  EXPECT_EQ(compare("1731999999.9999999999", cutoff_ns, 9), less);
  EXPECT_EQ(compare("1732000000.0000000001", cutoff_ns, 9), greater);
  EXPECT_EQ(compare(".5", 5, 1), equal);
  EXPECT_EQ(compare("5.", 5, 0), equal);
  EXPECT_EQ(compare("0.000000001", 1, 9), equal);
  EXPECT_EQ(compare("0.0000000009", 1, 9), less);
}

TEST(compare_decimal, applies_exponents) {
  EXPECT_EQ(compare("1.732e9", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("1.732E+9", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("17320000000e-1", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("0.0001732e13", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("1.7319999999e9", cutoff_ns, 9), less);
  EXPECT_EQ(compare("1732000000E0", cutoff_ns, 9), equal);
  EXPECT_EQ(compare("5e-1", 500, 3), equal);
  EXPECT_EQ(compare("1e999999999999999999999", int64_max, 0), greater);
  EXPECT_EQ(compare("1e-999999999999999999999", 1, 0), less);
  EXPECT_EQ(compare("1e-999999999999999999999", 0, 0), greater);
}

TEST(compare_decimal, handles_signs) {
  EXPECT_EQ(compare("-1", 0, 9), less);
  EXPECT_EQ(compare("-1", -1'000'000'000, 9), equal);
  EXPECT_EQ(compare("-2", -1'000'000'000, 9), less);
  EXPECT_EQ(compare("-0.5", -1'000'000'000, 9), greater);
  EXPECT_EQ(compare("-0.5", -500'000'000, 9), equal);
  EXPECT_EQ(compare("1", -1, 0), greater);
  EXPECT_EQ(compare("-1", 1, 0), less);
}

TEST(compare_decimal, treats_every_zero_alike) {
  for (const char* zero : {"0", "-0", "0.000", "-0.0", ".0", "0e99999999999999999999", "000"}) {
    EXPECT_EQ(compare(zero, 0, 9), equal) << zero;
    EXPECT_EQ(compare(zero, 1, 9), less) << zero;
    EXPECT_EQ(compare(zero, -1, 9), greater) << zero;
  }
}

TEST(compare_decimal, handles_values_beyond_int64) {
  EXPECT_EQ(compare("99999999999999999999999999999999999999", int64_max, 0), greater);
  EXPECT_EQ(compare("-99999999999999999999999999999999999999", int64_min, 0), less);
  EXPECT_EQ(compare("9223372036854775807", int64_max, 0), equal);
  EXPECT_EQ(compare("9223372036854775808", int64_max, 0), greater);
  EXPECT_EQ(compare("9223372036854775806.9", int64_max, 0), less);
  EXPECT_EQ(compare("-9223372036854775808", int64_min, 0), equal);
  EXPECT_EQ(compare("-9223372036854775809", int64_min, 0), less);
  EXPECT_EQ(compare("-9223372036.854775808", int64_min, 9), equal);
  EXPECT_EQ(compare("1e30", cutoff_ns, 9), greater);
  EXPECT_EQ(compare("-1e30", cutoff_ns, 9), less);
}

TEST(compare_decimal, refuses_what_is_not_a_number) {
  for (const char* text : {"",   "-",  ".",    "-.",  "1e",  "1e+",      "e5",  "abc",   "1.2.3", "+1",
                           " 1", "1 ", "0x10", "1,5", "NaN", "Infinity", "--1", "1e5.5", "1-",    "١"}) {
    EXPECT_FALSE(compare_decimal(text, 0, 0)) << text;
  }
}

TEST(format_fixed_point, writes_the_shortest_exact_decimal) {
  EXPECT_EQ(format_fixed_point(1500, 3), "1.5");
  EXPECT_EQ(format_fixed_point(-5, 1), "-0.5");
  EXPECT_EQ(format_fixed_point(42, 0), "42");
  EXPECT_EQ(format_fixed_point(0, 9), "0");
  EXPECT_EQ(format_fixed_point(cutoff_ns, 9), "1732000000");
  EXPECT_EQ(format_fixed_point(cutoff_ns + 250'000'000, 9), "1732000000.25");
  EXPECT_EQ(format_fixed_point(cutoff_ns + 1, 6), "1732000000000.000001");
  EXPECT_EQ(format_fixed_point(1, 9), "0.000000001");
  EXPECT_EQ(format_fixed_point(-1'500'000, 6), "-1.5");
  EXPECT_EQ(format_fixed_point(int64_min, 9), "-9223372036.854775808");
  EXPECT_EQ(format_fixed_point(int64_max, 0), "9223372036854775807");
}

TEST(format_fixed_point, reads_back_equal) {
  for (const std::int64_t scaled :
       std::initializer_list<std::int64_t>{int64_min, -1'500'000, -1, 0, 1, 999, cutoff_ns, int64_max}) {
    for (const int scale : {0, 3, 6, 9}) {
      EXPECT_EQ(compare(format_fixed_point(scaled, scale), scaled, scale), equal) << scaled << " " << scale;
    }
  }
}

}  // namespace
}  // namespace scavenger::core
