#pragma once
// The exact age rule (SPEC §3): an item is old enough when the timestamp in its age attribute
// is strictly before the run's cutoff (`now - --older-than`, fixed when the run starts). An
// item stamped exactly at the cutoff is young: "older than 48h" means more than 48 hours.
//
// Thread safety: pure functions; an age_rule is a plain value.

#include <boost/system/result.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scavenger/config_error.hpp"

namespace scavenger::core {

// How the age attribute holds its timestamp.
enum class age_format {
  rfc3339,        // an S value: "2026-11-20T08:15:00Z", any offset, lower-case t/z, fractions
  epoch_seconds,  // an N value: seconds since 1970-01-01T00:00:00Z, decimals allowed
  epoch_millis,   // an N value: milliseconds since then
};

// "rfc3339", "epoch-seconds" or "epoch-millis" (the --age-format values).
boost::system::result<age_format, config_error> parse_age_format(std::string_view text);
std::string_view to_string(age_format format) noexcept;

struct age_rule {
  std::string attribute;  // the age attribute's name
  age_format format = age_format::rfc3339;
  std::chrono::system_clock::time_point cutoff;
};

enum class age_verdict {
  old_enough,  // timestamp < cutoff: a candidate for deletion
  young,       // timestamp >= cutoff: skipped_young
  invalid,     // missing, of the wrong type or unparsable: skipped_invalid
};

std::string_view to_string(age_verdict verdict) noexcept;

// The cutoff in an epoch format's unit as the fixed-point number `scaled` × 10^-`scale`:
// nanoseconds since 1970 with 9 fraction digits for seconds, 6 for milliseconds. Exact, and
// integral, so comparisons with DynamoDB's decimal numbers need no division.
struct epoch_cutoff {
  std::int64_t scaled = 0;
  int scale = 0;
};
epoch_cutoff epoch_cutoff_of(const age_rule& rule) noexcept;

// Classifies one item by the raw AttributeValue JSON of its age attribute (nullopt: missing).
// Exact: RFC 3339 fractions past nanoseconds only ever truncate towards the past, and epoch
// numbers are compared as decimal digits, never through a double. Allocation-free unless the
// value's JSON string has escapes.
age_verdict classify(const age_rule& rule, std::optional<std::string_view> raw_value);

}  // namespace scavenger::core
