#include "scavenger/age_rule.hpp"

#include "aws/rfc3339.hpp"
#include "scavenger/attribute_value.hpp"
#include "scavenger/decimal.hpp"

namespace scavenger::core {
namespace {

constexpr int nanosecond_digits_per_second = 9;
constexpr int nanosecond_digits_per_milli = 6;

age_verdict verdict_for(bool older) noexcept { return older ? age_verdict::old_enough : age_verdict::young; }

}  // namespace

boost::system::result<age_format, config_error> parse_age_format(std::string_view text) {
  for (const auto format : {age_format::rfc3339, age_format::epoch_seconds, age_format::epoch_millis}) {
    if (text == to_string(format)) return format;
  }
  return config_error{"invalid age format \"" + std::string(text) + "\": use rfc3339, epoch-seconds or epoch-millis"};
}

std::string_view to_string(age_format format) noexcept {
  switch (format) {
    case age_format::rfc3339:
      return "rfc3339";
    case age_format::epoch_seconds:
      return "epoch-seconds";
    case age_format::epoch_millis:
      return "epoch-millis";
  }
  return "unknown";
}

std::string_view to_string(age_verdict verdict) noexcept {
  switch (verdict) {
    case age_verdict::old_enough:
      return "old_enough";
    case age_verdict::young:
      return "young";
    case age_verdict::invalid:
      return "invalid";
  }
  return "unknown";
}

epoch_cutoff epoch_cutoff_of(const age_rule& rule) noexcept {
  const std::int64_t nanoseconds =
      std::chrono::duration_cast<std::chrono::nanoseconds>(rule.cutoff.time_since_epoch()).count();
  return {nanoseconds,
          rule.format == age_format::epoch_millis ? nanosecond_digits_per_milli : nanosecond_digits_per_second};
}

age_verdict classify(const age_rule& rule, std::optional<std::string_view> raw_value) {
  if (!raw_value) return age_verdict::invalid;
  std::string scratch;  // only filled when the JSON string has escapes
  if (rule.format == age_format::rfc3339) {
    const auto text = scalar_text(*raw_value, "S", scratch);
    if (!text) return age_verdict::invalid;
    const auto stamp = aws::parse_rfc3339(*text);
    if (!stamp) return age_verdict::invalid;
    // parse_rfc3339 truncates digits past the ninth: a value just above the cutoff may become
    // equal to it (still young), never below it, because the cutoff is a whole nanosecond.
    return verdict_for(*stamp < rule.cutoff);
  }
  const auto text = scalar_text(*raw_value, "N", scratch);
  if (!text) return age_verdict::invalid;
  const auto cutoff = epoch_cutoff_of(rule);
  const auto order = compare_decimal(*text, cutoff.scaled, cutoff.scale);
  if (!order) return age_verdict::invalid;
  return verdict_for(*order < 0);
}

}  // namespace scavenger::core
