#include "scavenger/duration.hpp"

#include <array>
#include <cstdint>

namespace scavenger::core {
namespace {

struct unit {
  char symbol;
  std::int64_t seconds;
};

// Largest first: the order the text must follow.
constexpr std::array<unit, 4> units{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

config_error invalid(std::string_view text, std::string_view reason) {
  std::string message = "invalid duration \"";
  message.append(text);
  message.append("\" (");
  message.append(reason);
  message.append(
      "): write whole days, hours, minutes and seconds, largest unit first, e.g. 90s, 30m, 48h, 7d or 1d12h");
  return config_error{std::move(message)};
}

}  // namespace

boost::system::result<std::chrono::seconds, config_error> parse_duration(std::string_view text) {
  if (text.empty()) return invalid(text, "empty");
  const std::int64_t limit = max_duration.count();
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // index into `units` of the smallest unit still allowed
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!is_digit(text[pos])) return invalid(text, "expected a number");
    std::int64_t count = 0;
    for (; pos < text.size() && is_digit(text[pos]); ++pos) {
      count = count * 10 + (text[pos] - '0');
      // Checked per digit so the accumulator itself can never overflow.
      if (count > limit) return invalid(text, "longer than " + format_duration(max_duration));
    }
    if (pos == text.size()) return invalid(text, "a number needs a unit");
    const char symbol = text[pos++];
    std::size_t index = 0;
    while (index < units.size() && units[index].symbol != symbol) ++index;
    if (index == units.size()) return invalid(text, std::string("unknown unit '") + symbol + "'");
    if (index < next_unit) return invalid(text, "units out of order or repeated");
    next_unit = index + 1;
    // count <= limit (~9.2e9) and seconds <= 86400: the product fits in 64 bits.
    total += count * units[index].seconds;
    if (total > limit) return invalid(text, "longer than " + format_duration(max_duration));
  }
  if (total == 0) return invalid(text, "not positive");
  return std::chrono::seconds{total};
}

std::string format_duration(std::chrono::seconds duration) {
  std::int64_t remaining = duration.count();
  if (remaining == 0) return "0s";
  std::string text;
  // Unsigned so that the most negative value still has a magnitude.
  std::uint64_t magnitude = static_cast<std::uint64_t>(remaining);
  if (remaining < 0) {
    text.push_back('-');
    magnitude = 0 - magnitude;
  }
  for (const auto& u : units) {
    const auto per_unit = static_cast<std::uint64_t>(u.seconds);
    const std::uint64_t count = magnitude / per_unit;
    magnitude %= per_unit;
    if (count == 0) continue;
    text.append(std::to_string(count));
    text.push_back(u.symbol);
  }
  return text;
}

}  // namespace scavenger::core
