#pragma once
// Exact arithmetic on DynamoDB numbers, which are decimal strings of up to 38 significant
// digits ({"N":"1732000000.5"}): a double would misround them near the cutoff, so numbers are
// compared digit by digit and never converted.
//
// Thread safety: pure functions.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace scavenger::core {

// Compares the decimal `number` with the fixed-point value `scaled` × 10^-`scale`
// (`scale` >= 0), exactly. `number` is "-"?, digits with an optional "." (at least one digit on
// either side), then an optional exponent "e"/"E" with an optional sign: "17", "-0.5", ".5",
// "1.7e9", "2E-3". nullopt when `number` is not that. "-0" equals zero.
std::optional<std::strong_ordering> compare_decimal(std::string_view number, std::int64_t scaled, int scale) noexcept;

// `scaled` × 10^-`scale` (`scale` >= 0) as the shortest exact decimal text:
// (1500, 3) -> "1.5", (-5, 1) -> "-0.5", (42, 0) -> "42".
std::string format_fixed_point(std::int64_t scaled, int scale);

}  // namespace scavenger::core
