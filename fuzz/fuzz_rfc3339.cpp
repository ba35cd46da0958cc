// parse_rfc3339 reads timestamps from credential responses, scanned items' age attributes and
// checkpoint files. Checked against an independent reference (a pattern match and
// days-from-civil arithmetic, no std::chrono calendar): the same texts accepted, to the same
// nanosecond. format_rfc3339_utc must give text the parser reads back exactly. The first 8
// bytes of the input also pick a time point for the formatter's own round trip.
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "aws/rfc3339.hpp"
#include "fuzz_check.hpp"

namespace {

using scavenger::aws::format_rfc3339_utc;
using scavenger::aws::parse_rfc3339;
using time_point = std::chrono::system_clock::time_point;

constexpr int first_year = 1678;  // whole years system_clock's int64 nanoseconds can hold
constexpr int last_year = 2261;
constexpr std::int64_t ns_per_second = 1'000'000'000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int number(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The reference: nanoseconds since the epoch, or nullopt where RFC 3339 (as the header
// documents it) refuses the text.
std::optional<__int128> reference_parse(std::string_view text) {
  static constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd";
  if (text.size() <= pattern.size()) return std::nullopt;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char want = pattern[i];
    const char got = text[i];
    const bool ok = want == 'd' ? is_digit(got) : want == 'T' ? (got == 'T' || got == 't') : got == want;
    if (!ok) return std::nullopt;
  }
  const int year = number(text, 0, 4), month = number(text, 5, 2), day = number(text, 8, 2);
  const int hour = number(text, 11, 2), minute = number(text, 14, 2), second = number(text, 17, 2);
  if (year < first_year || year > last_year || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = pattern.size();
  std::int64_t fraction_ns = 0;
  if (text[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
    std::string nine(text.substr(start, std::min<std::size_t>(pos - start, 9)));
    nine.resize(9, '0');
    fraction_ns = std::stoll(nine);
  }
  const std::string_view zone = text.substr(pos);
  int offset_minutes = 0;
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && is_digit(zone[1]) && is_digit(zone[2]) &&
             zone[3] == ':' && is_digit(zone[4]) && is_digit(zone[5])) {
    const int offset_hour = number(zone, 1, 2), offset_minute = number(zone, 4, 2);
    if (offset_hour > 23 || offset_minute > 59) return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (offset_hour * 60 + offset_minute);
  } else {
    return std::nullopt;
  }
  const std::int64_t utc_minute = hour * 60 + minute - offset_minutes;  // of the local day
  if (second == 60 && ((utc_minute % 1440) + 1440) % 1440 != 1439) return std::nullopt;
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + utc_minute * 60 + second;
  return __int128{seconds} * ns_per_second + fraction_ns;
}

std::string describe(std::string_view text) { return "input \"" + std::string(text) + "\""; }

std::int64_t ns_since_epoch(time_point time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

void check_parse(std::string_view text) {
  const std::optional<time_point> parsed = parse_rfc3339(text);
  const std::optional<__int128> expected = reference_parse(text);
  FUZZ_CHECK(parsed.has_value() == expected.has_value(), describe(text) + (parsed ? " accepted" : " refused"));
  if (!parsed) return;
  FUZZ_CHECK(__int128{ns_since_epoch(*parsed)} == *expected, describe(text) + " parsed to another instant");

  // The year limits apply to the text: an offset or a leap second can move the instant into
  // 1677 or 2262, which format_rfc3339_utc writes and the parser refuses (check_format covers
  // that rule).
  const std::string formatted = format_rfc3339_utc(*parsed);
  const int utc_year = number(formatted, 0, 4);
  if (utc_year < first_year || utc_year > last_year) return;
  const std::optional<time_point> again = parse_rfc3339(formatted);
  FUZZ_CHECK(again == parsed, describe(text) + " formatted as \"" + formatted + "\", which reads back differently");
  FUZZ_CHECK(format_rfc3339_utc(*again) == formatted, "\"" + formatted + "\" is not canonical");
}

// Any representable instant: formatted as canonical UTC text that parses back to it, when its
// year is one the parser accepts.
void check_format(std::int64_t ns) {
  const time_point time{std::chrono::duration_cast<time_point::duration>(std::chrono::nanoseconds(ns))};
  const std::string formatted = format_rfc3339_utc(time);
  const std::string what = "ns " + std::to_string(ns) + " formatted as \"" + formatted + "\"";
  FUZZ_CHECK(formatted.size() >= 20 && formatted.back() == 'Z' && formatted[10] == 'T', what);
  const int year = number(formatted, 0, 4);
  const bool in_range = formatted[0] != '-' && year >= first_year && year <= last_year;
  const std::optional<time_point> parsed = parse_rfc3339(formatted);
  FUZZ_CHECK(parsed.has_value() == in_range, what + (parsed ? " accepted" : " refused"));
  if (parsed) FUZZ_CHECK(*parsed == time, what + ", which reads back differently");
  const std::size_t dot = formatted.find('.');
  if (dot != std::string::npos) FUZZ_CHECK(formatted[formatted.size() - 2] != '0', what + ": trailing zero");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  check_parse(scavenger::fuzz::as_text(data, size));
  if (size >= sizeof(std::int64_t)) {
    std::int64_t ns;
    std::memcpy(&ns, data, sizeof ns);
    check_format(ns);
  }
  return 0;
}
