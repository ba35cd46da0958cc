// Inputs fuzz/fuzz_rfc3339 found (the same inputs are in fuzz/corpus/fuzz_rfc3339/regression-*).
#include "aws/rfc3339.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace scavenger::aws {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// The day holding system_clock's earliest instant (1677-09-21T00:12:43.145224192Z) starts
// before it: counting that day's start in nanoseconds overflowed (undefined behaviour, which
// UBSan reports in the SCAVENGER_SANITIZE=address build).
TEST(rfc3339_fuzz_regressions, formats_the_first_day_system_clock_can_hold) {
  const auto earliest = system_clock::time_point::min();
  EXPECT_EQ(format_rfc3339_utc(earliest), "1677-09-21T00:12:43.145224192Z");
  EXPECT_EQ(format_rfc3339_utc(earliest + 1ns), "1677-09-21T00:12:43.145224193Z");
  EXPECT_EQ(format_rfc3339_utc(earliest + 3s - 145224192ns), "1677-09-21T00:12:46Z");
  EXPECT_EQ(format_rfc3339_utc(sys_days{1677y / September / 22} - 1ns), "1677-09-21T23:59:59.999999999Z");
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point::max()), "2262-04-11T23:47:16.854775807Z");
}

// Before 1970 the fraction still counts forward from the whole second below.
TEST(rfc3339_fuzz_regressions, formats_fractions_before_the_epoch) {
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{} - 1ns), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{} - 1500ms), "1969-12-31T23:59:58.5Z");
  EXPECT_EQ(format_rfc3339_utc(system_clock::time_point{} - 24h), "1969-12-31T00:00:00Z");
}

// Documented, not a bug: the year limits apply to the text, so a leap second (or an offset) at
// the edge of 2261 gives an instant in 2262, which is formatted but not read back.
TEST(rfc3339_fuzz_regressions, year_limits_apply_to_the_text_not_the_instant) {
  const auto parsed = parse_rfc3339("2261-12-31T23:59:60.99999226999999999Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(format_rfc3339_utc(*parsed), "2262-01-01T00:00:00.999992269Z");
  EXPECT_FALSE(parse_rfc3339(format_rfc3339_utc(*parsed)));
}

}  // namespace
}  // namespace scavenger::aws
