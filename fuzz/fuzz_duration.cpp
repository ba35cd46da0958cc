// parse_duration reads --older-than (and the Lambda event's olderThan). Checked against an
// independent reference (128-bit arithmetic, no overflow guard needed): the same texts accepted,
// with the same value. A parsed value's canonical text (format_duration) reads back to it and is
// its own canonical form. The first 8 bytes of the input also pick a signed count of seconds for
// the formatter: read back exactly when in (0, max_duration], refused otherwise.
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "fuzz_check.hpp"
#include "scavenger/duration.hpp"

namespace {

using scavenger::core::format_duration;
using scavenger::core::max_duration;
using scavenger::core::parse_duration;
using std::chrono::seconds;

// Whole numbers with a unit each, units in the order d, h, m, s, each at most once; the total
// positive and at most max_duration.
std::optional<std::int64_t> reference_parse(std::string_view text) {
  static constexpr std::string_view symbols = "dhms";
  static constexpr std::int64_t unit_seconds[] = {86400, 3600, 60, 1};
  constexpr __int128 beyond_any_limit = __int128{1} << 100;  // saturates long digit strings
  if (text.empty()) return std::nullopt;
  __int128 total = 0;
  std::size_t smallest_allowed = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    __int128 count = 0;
    const std::size_t start = pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      count = std::min(beyond_any_limit, count * 10 + (text[pos] - '0'));
    }
    if (pos == start || pos == text.size()) return std::nullopt;
    const std::size_t unit = symbols.find(text[pos++]);
    if (unit == std::string_view::npos || unit < smallest_allowed) return std::nullopt;
    smallest_allowed = unit + 1;
    total = std::min(beyond_any_limit, total + count * unit_seconds[unit]);
  }
  if (total <= 0 || total > max_duration.count()) return std::nullopt;
  return static_cast<std::int64_t>(total);
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

void check_parse(std::string_view text) {
  const auto parsed = parse_duration(text);
  const std::optional<std::int64_t> expected = reference_parse(text);
  FUZZ_CHECK(parsed.has_value() == expected.has_value(), in_quotes(text) + (parsed ? " accepted" : " refused"));
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty(), in_quotes(text) + " refused without a message");
    return;
  }
  FUZZ_CHECK(parsed->count() == *expected, in_quotes(text) + " parsed to " + std::to_string(parsed->count()));
  const std::string canonical = format_duration(*parsed);
  const auto again = parse_duration(canonical);
  FUZZ_CHECK(again && *again == *parsed, in_quotes(text) + " formatted as " + in_quotes(canonical) + ", which reads back differently");
  FUZZ_CHECK(format_duration(*again) == canonical, in_quotes(canonical) + " is not canonical");
}

void check_format(std::int64_t count) {
  const std::string text = format_duration(seconds(count));
  const std::string what = std::to_string(count) + "s formatted as " + in_quotes(text);
  FUZZ_CHECK(!text.empty(), what);
  const auto parsed = parse_duration(text);
  const bool readable = count > 0 && count <= max_duration.count();
  FUZZ_CHECK(parsed.has_value() == readable, what + (parsed ? " accepted" : " refused"));
  if (parsed) FUZZ_CHECK(parsed->count() == count, what + ", which reads back differently");
  if (count < 0) {
    FUZZ_CHECK(text.front() == '-', what + ": no sign");
    // The magnitude's text follows the sign (as unsigned: the most negative count has no positive).
    const std::uint64_t magnitude = 0 - static_cast<std::uint64_t>(count);
    if (magnitude <= static_cast<std::uint64_t>(max_duration.count())) {
      const auto positive = parse_duration(std::string_view(text).substr(1));
      FUZZ_CHECK(positive && static_cast<std::uint64_t>(positive->count()) == magnitude, what + ": wrong magnitude");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  check_parse(scavenger::fuzz::as_text(data, size));
  if (size >= sizeof(std::int64_t)) {
    std::int64_t count;
    std::memcpy(&count, data, sizeof count);
    check_format(count);
  }
  return 0;
}
