#include "scavenger/server_age_filter.hpp"

#include <chrono>

#include "aws/rfc3339.hpp"
#include "scavenger/decimal.hpp"

namespace scavenger::core {
namespace {

constexpr std::size_t date_time_separator = 10;  // "YYYY-MM-DD" then 'T'

// Missing attributes and other types pass too, so that the client counts them as invalid
// instead of the server hiding them.
std::string clause(std::string_view bound, std::string_view type_placeholder) {
  return "#scv_age < " + std::string(bound) + " OR attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, " +
         std::string(type_placeholder) + ")";
}

// The upper bound for RFC 3339 texts, compared as strings (DynamoDB compares UTF-8 bytes).
// An item that is old by the exact rule has an instant T < cutoff; its text spells the local
// time L = T + offset, and RFC 3339 offsets stay within ±23:59, so L < cutoff + 1 day - 1 min.
// The bound B is cutoff + 1 day in UTC. Both texts are "YYYY-MM-DD?HH:MM...", so either L's
// date is earlier (the first 10 characters decide), or the dates are equal and L's "HH:MM" is
// earlier (L is over a minute before B) -- provided the separator does not decide first. It
// would: 't' (0x74) sorts after 'T' (0x54). So B is written with 't', which every valid
// separator sorts at or below. Offsets make the margin necessary; the lower-case separator
// may let extra young items through on B's date, which the client then skips.
std::string rfc3339_bound(std::chrono::system_clock::time_point cutoff) {
  std::string bound = aws::format_rfc3339_utc(cutoff + std::chrono::days{1});
  bound[date_time_separator] = 't';
  return bound;
}

}  // namespace

server_age_clause server_age_filter(const age_rule& rule) {
  server_age_clause result;
  if (rule.format == age_format::rfc3339) {
    result.expression = clause(":scv_cutoff_prefix", ":scv_s");
    result.value_members = R"(":scv_cutoff_prefix":{"S":")" + rfc3339_bound(rule.cutoff) + R"("},":scv_s":{"S":"S"})";
    return result;
  }
  // The exact cutoff in the format's unit: DynamoDB compares numbers as decimals (38 digits),
  // so `<` on the server agrees with the client's exact check.
  const auto cutoff = epoch_cutoff_of(rule);
  result.expression = clause(":scv_cutoff", ":scv_n");
  result.value_members =
      R"(":scv_cutoff":{"N":")" + format_fixed_point(cutoff.scaled, cutoff.scale) + R"("},":scv_n":{"S":"N"})";
  return result;
}

}  // namespace scavenger::core
