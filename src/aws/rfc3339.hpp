#pragma once
// RFC 3339 timestamps (https://www.rfc-editor.org/rfc/rfc3339#section-5.6), exact and fast:
// no regex, no locale, no allocation when parsing. Used for credential expirations and for
// the scavenger's age rule (SPEC §3), so it is strict about everything RFC 3339 fixes and
// permissive only where RFC 3339 is.
//
// Thread safety: pure functions.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace scavenger::aws {

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)".
// - 'T'/'t' and 'Z'/'z' in either case; any offset (hours 00-23, minutes 00-59); "-00:00" is UTC.
// - Fractional seconds of any length; digits past the ninth are truncated (nanosecond precision).
// - Month and day are checked against the calendar, leap years included.
// - Second 60 (a leap second) is accepted only where RFC 3339 allows it, at 23:59:60 UTC, and
//   maps to the first instant of the next day: system_clock (POSIX time) has no leap seconds,
//   and rounding forward keeps "60 > 59" ordering within that day.
// - Anything else, trailing characters included, gives nullopt. So do instants system_clock's
//   nanosecond representation cannot hold (before 1678 or after 2261).
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) noexcept;

// "2026-11-24T12:00:00Z"; the fraction, when not zero, with its trailing zeros removed
// ("2026-11-24T12:00:00.25Z").
std::string format_rfc3339_utc(std::chrono::system_clock::time_point time);

}  // namespace scavenger::aws
