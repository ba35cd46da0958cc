// Whether a resume would select exactly what the checkpointed run did (SPEC §6): any difference
// in table, segmentation, shard or predicate could skip items or delete others, so it is refused.
#include <simdjson.h>

#include "aws/rfc3339.hpp"
#include "scavenger/checkpoint.hpp"

namespace scavenger::core {

namespace {

// Minified JSON (whitespace outside strings removed); the text itself when it does not parse,
// so that two unparsable texts still compare by their bytes.
std::string minified(std::string_view json) {
  if (json.empty()) json = "{}";
  std::string out(json.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(json.data(), json.size(), out.data(), length) != simdjson::SUCCESS) return std::string(json);
  out.resize(length);
  return out;
}

std::string quoted_or_none(std::string_view text) { return text.empty() ? "none" : "\"" + std::string(text) + "\""; }

std::string differs(std::string_view field, std::string_view saved, std::string_view wanted) {
  return std::string(field) + " differs: the checkpoint has " + std::string(saved) + ", this run " +
         std::string(wanted) + "; resume with the same settings, or start over without --resume";
}

std::string cutoff_text(const std::optional<std::chrono::system_clock::time_point>& cutoff) {
  return cutoff ? aws::format_rfc3339_utc(*cutoff) : "none";
}

}  // namespace

std::optional<std::string> compatible(const checkpoint& saved, const checkpoint& wanted) {
  if (saved.table != wanted.table) return differs("table", quoted_or_none(saved.table), quoted_or_none(wanted.table));
  if (saved.total_segments != wanted.total_segments) {
    return differs("total_segments", std::to_string(saved.total_segments), std::to_string(wanted.total_segments));
  }
  if (saved.shard != wanted.shard) return differs("shard", to_string(saved.shard), to_string(wanted.shard));
  const auto& was = saved.predicate;
  const auto& now = wanted.predicate;
  if (was.filter != now.filter) {
    return differs("predicate.filter", quoted_or_none(was.filter), quoted_or_none(now.filter));
  }
  if (minified(was.expression_attribute_names) != minified(now.expression_attribute_names)) {
    return differs("predicate.expression_attribute_names", minified(was.expression_attribute_names),
                   minified(now.expression_attribute_names));
  }
  if (minified(was.expression_attribute_values) != minified(now.expression_attribute_values)) {
    return differs("predicate.expression_attribute_values", minified(was.expression_attribute_values),
                   minified(now.expression_attribute_values));
  }
  if (was.age_attribute != now.age_attribute) {
    return differs("predicate.age_attribute", quoted_or_none(was.age_attribute), quoted_or_none(now.age_attribute));
  }
  if (was.age_format != now.age_format) {
    return differs("predicate.age_format", quoted_or_none(was.age_format), quoted_or_none(now.age_format));
  }
  if (was.cutoff != now.cutoff) return differs("predicate.cutoff", cutoff_text(was.cutoff), cutoff_text(now.cutoff));
  return std::nullopt;
}

}  // namespace scavenger::core
