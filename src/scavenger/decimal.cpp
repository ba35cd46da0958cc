#include "scavenger/decimal.hpp"

#include <array>

namespace scavenger::core {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// An exponent this large already puts any number of a few thousand digits beyond every int64;
// saturating there keeps the position arithmetic below free of overflow.
constexpr std::int64_t exponent_saturation = 1'000'000'000'000;

// The magnitude of an int64, including the most negative one.
constexpr std::uint64_t magnitude_of(std::int64_t value) noexcept {
  const auto bits = static_cast<std::uint64_t>(value);
  return value < 0 ? 0 - bits : bits;
}

// A parsed number: its digits, split by the decimal point, never copied.
struct decimal_parts {
  bool negative = false;
  std::string_view integer;   // digits before the point
  std::string_view fraction;  // digits after the point
  std::int64_t exponent = 0;

  std::size_t digit_count() const noexcept { return integer.size() + fraction.size(); }
  // The i-th digit of integer followed by fraction.
  char digit(std::size_t i) const noexcept { return i < integer.size() ? integer[i] : fraction[i - integer.size()]; }
};

std::optional<decimal_parts> parse(std::string_view text) noexcept {
  decimal_parts parts;
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    parts.negative = true;
    ++pos;
  }
  const std::size_t integer_begin = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  parts.integer = text.substr(integer_begin, pos - integer_begin);
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t fraction_begin = ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    parts.fraction = text.substr(fraction_begin, pos - fraction_begin);
  }
  if (parts.digit_count() == 0) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool negative_exponent = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative_exponent = text[pos++] == '-';
    if (pos == text.size() || !is_digit(text[pos])) return std::nullopt;
    for (; pos < text.size() && is_digit(text[pos]); ++pos) {
      if (parts.exponent < exponent_saturation) parts.exponent = parts.exponent * 10 + (text[pos] - '0');
    }
    if (negative_exponent) parts.exponent = -parts.exponent;
  }
  if (pos != text.size()) return std::nullopt;
  return parts;
}

// Compares the non-zero magnitude 0.d₁d₂…dₙ × 10^point (its significant digits start at
// `first`) with `target`.
std::strong_ordering compare_magnitude(const decimal_parts& parts, std::size_t first, std::int64_t point,
                                       std::uint64_t target) noexcept {
  if (target == 0) return std::strong_ordering::greater;
  std::array<char, 20> target_digits{};  // 2^64 has 20 digits
  std::size_t target_length = 0;
  for (std::uint64_t rest = target; rest != 0; rest /= 10) {
    target_digits[target_length++] = static_cast<char>('0' + rest % 10);
  }
  // Both have a non-zero leading digit, so the one with more integer digits is larger.
  const auto target_point = static_cast<std::int64_t>(target_length);
  if (point != target_point) return point <=> target_point;
  const std::size_t significant = parts.digit_count() - first;
  for (std::size_t i = 0; i < target_length; ++i) {
    const char ours = i < significant ? parts.digit(first + i) : '0';
    const char theirs = target_digits[target_length - 1 - i];
    if (ours != theirs) return ours <=> theirs;
  }
  for (std::size_t i = target_length; i < significant; ++i) {
    if (parts.digit(first + i) != '0') return std::strong_ordering::greater;
  }
  return std::strong_ordering::equal;
}

}  // namespace

std::optional<std::strong_ordering> compare_decimal(std::string_view number, std::int64_t scaled, int scale) noexcept {
  const auto parts = parse(number);
  if (!parts) return std::nullopt;
  std::size_t first = 0;
  while (first < parts->digit_count() && parts->digit(first) == '0') ++first;
  if (first == parts->digit_count()) return std::int64_t{0} <=> scaled;  // zero, "-0" included

  // number = 0.<significant digits> × 10^point; multiplying by 10^scale compares it with
  // the integer `scaled` instead of a fraction.
  const auto significant = static_cast<std::int64_t>(parts->digit_count() - first);
  const std::int64_t point = significant + parts->exponent - static_cast<std::int64_t>(parts->fraction.size()) + scale;
  if (!parts->negative) {
    if (scaled <= 0) return std::strong_ordering::greater;
    return compare_magnitude(*parts, first, point, magnitude_of(scaled));
  }
  if (scaled >= 0) return std::strong_ordering::less;
  return 0 <=> compare_magnitude(*parts, first, point, magnitude_of(scaled));
}

std::string format_fixed_point(std::int64_t scaled, int scale) {
  std::string digits = std::to_string(magnitude_of(scaled));
  const auto fraction_length = static_cast<std::size_t>(scale);
  if (digits.size() <= fraction_length) digits.insert(0, fraction_length + 1 - digits.size(), '0');
  std::string integer = digits.substr(0, digits.size() - fraction_length);
  std::string fraction = digits.substr(digits.size() - fraction_length);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string text = scaled < 0 ? "-" : "";
  text += integer;
  if (!fraction.empty()) text += "." + fraction;
  return text;
}

}  // namespace scavenger::core
