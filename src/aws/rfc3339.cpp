#include "aws/rfc3339.hpp"

#include <array>
#include <cstdint>

namespace scavenger::aws {
namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;

// "YYYY-MM-DDTHH:MM:SS" and the shortest suffix, "Z".
constexpr std::size_t date_time_length = 19;
constexpr std::size_t numeric_offset_length = 6;  // "+HH:MM"
constexpr int fraction_digits_kept = 9;            // nanoseconds
// system_clock counts nanoseconds in a signed 64-bit integer: 1677-09-21 to 2262-04-11.
// Whole years inside that range, so that no offset can push a result outside it.
constexpr int first_year = 1678;
constexpr int last_year = 2261;
constexpr int minutes_per_day = 24 * 60;

// The value of exactly `count` ASCII digits at `text[pos]`, or -1 when one is not a digit.
// The caller guarantees the characters exist.
constexpr int read_digits(std::string_view text, std::size_t pos, std::size_t count) noexcept {
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Writes `value` as exactly `width` zero-padded digits at `begin`.
void write_digits(char* begin, std::size_t width, std::int64_t value) noexcept {
  for (std::size_t i = width; i > 0; --i) {
    begin[i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) noexcept {
  if (text.size() < date_time_length + 1) {
    return std::nullopt;
  }
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const int year = read_digits(text, 0, 4);
  const int month = read_digits(text, 5, 2);
  const int day = read_digits(text, 8, 2);
  const int hour = read_digits(text, 11, 2);
  const int minute = read_digits(text, 14, 2);
  const int second = read_digits(text, 17, 2);
  if (year < first_year || year > last_year || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return std::nullopt;  // 31 April, 29 February of a common year, ...
  }

  std::size_t pos = date_time_length;
  std::int64_t fraction_ns = 0;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t first_digit = pos;
    int kept = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (kept < fraction_digits_kept) {
        fraction_ns = fraction_ns * 10 + (text[pos] - '0');
        ++kept;
      }
      ++pos;
    }
    if (pos == first_digit) {
      return std::nullopt;  // "." needs at least one digit
    }
    for (; kept < fraction_digits_kept; ++kept) {
      fraction_ns *= 10;
    }
  }
  if (pos >= text.size()) {
    return std::nullopt;  // the offset is not optional
  }

  int offset_minutes = 0;
  const char designator = text[pos];
  if (designator == 'Z' || designator == 'z') {
    if (pos + 1 != text.size()) {
      return std::nullopt;
    }
  } else if (designator == '+' || designator == '-') {
    if (text.size() - pos != numeric_offset_length || text[pos + 3] != ':') {
      return std::nullopt;
    }
    const int offset_hour = read_digits(text, pos + 1, 2);
    const int offset_minute = read_digits(text, pos + 4, 2);
    if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59) {
      return std::nullopt;
    }
    offset_minutes = offset_hour * 60 + offset_minute;
    if (designator == '-') {
      offset_minutes = -offset_minutes;
    }
  } else {
    return std::nullopt;
  }

  // RFC 3339 §5.7: a leap second is the last second of a UTC day, whatever the local offset.
  if (second == 60) {
    const int utc_minute_of_day = ((hour * 60 + minute - offset_minutes) % minutes_per_day + minutes_per_day) %
                                  minutes_per_day;
    if (utc_minute_of_day != minutes_per_day - 1) {
      return std::nullopt;
    }
  }

  const std::int64_t local_seconds = std::chrono::sys_days{date}.time_since_epoch() / seconds(1) +
                                     std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  const std::int64_t utc_seconds = local_seconds - std::int64_t{offset_minutes} * 60;
  const std::chrono::sys_time<nanoseconds> exact{seconds(utc_seconds) + nanoseconds(fraction_ns)};
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(exact);
}

std::string format_rfc3339_utc(std::chrono::system_clock::time_point time) {
  // Whole seconds and fraction split by integer division, never through a nanosecond count of
  // the day's start: the day that holds system_clock's earliest instant (1677-09-21) starts
  // before it, so that count overflows (found by fuzz/fuzz_rfc3339).
  constexpr std::int64_t ns_per_second = 1'000'000'000;
  const std::int64_t ns = std::chrono::duration_cast<nanoseconds>(time.time_since_epoch()).count();
  std::int64_t fraction = ns % ns_per_second;
  const std::int64_t whole_seconds = ns / ns_per_second - (fraction < 0 ? 1 : 0);
  if (fraction < 0) fraction += ns_per_second;
  const std::chrono::sys_seconds second{seconds(whole_seconds)};
  const auto day_start = std::chrono::floor<std::chrono::days>(second);
  const std::chrono::year_month_day date{day_start};
  const std::int64_t second_of_day = (second - day_start).count();

  // "YYYY-MM-DDTHH:MM:SS" + ".nnnnnnnnn" + "Z"
  std::array<char, date_time_length + 1 + fraction_digits_kept + 1> buffer{};
  char* out = buffer.data();
  write_digits(out, 4, int{date.year()});
  out[4] = '-';
  write_digits(out + 5, 2, unsigned{date.month()});
  out[7] = '-';
  write_digits(out + 8, 2, unsigned{date.day()});
  out[10] = 'T';
  write_digits(out + 11, 2, second_of_day / 3600);
  out[13] = ':';
  write_digits(out + 14, 2, second_of_day / 60 % 60);
  out[16] = ':';
  write_digits(out + 17, 2, second_of_day % 60);
  std::size_t length = date_time_length;
  if (fraction != 0) {
    std::size_t digits = fraction_digits_kept;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    out[length++] = '.';
    write_digits(out + length, digits, fraction);
    length += digits;
  }
  out[length++] = 'Z';
  return std::string(out, length);
}

}  // namespace scavenger::aws
