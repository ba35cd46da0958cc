#pragma once
// Durations as the user writes them for --older-than (SPEC §3): "90s", "30m", "48h", "7d",
// and combinations such as "1d12h" or "1h30m15s".
//
// Thread safety: pure functions.

#include <boost/system/result.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "scavenger/config_error.hpp"

namespace scavenger::core {

// The longest accepted duration: system_clock counts nanoseconds in 64 bits, so `now - d`
// cannot overflow for any `now` after 1970 (about 106751 days).
inline constexpr std::chrono::seconds max_duration =
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::nanoseconds::max());

// Whole numbers of days (d), hours (h), minutes (m) and seconds (s), largest unit first, each
// unit at most once. The total must be positive and at most max_duration. No sign, fraction,
// exponent, space or other unit: a bare number is refused rather than guessed at.
boost::system::result<std::chrono::seconds, config_error> parse_duration(std::string_view text);

// The canonical text parse_duration reads back: zero units left out ("1d12h", "1m30s"),
// "0s" for zero, a leading '-' for negative durations.
std::string format_duration(std::chrono::seconds duration);

}  // namespace scavenger::core
