// The summary for people (--output text): the same facts as the JSON, aligned and grouped.
#include <cmath>

#include "aws/rfc3339.hpp"
#include "scavenger/run_summary.hpp"

namespace scavenger::core {

std::string with_thousands_separators(std::int64_t value) {
  // Through unsigned so that the most negative value has a magnitude too.
  const bool negative = value < 0;
  auto magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string reversed;
  int digits = 0;
  do {
    if (digits > 0 && digits % 3 == 0) reversed.push_back(',');
    reversed.push_back(static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
    ++digits;
  } while (magnitude != 0);
  if (negative) reversed.push_back('-');
  return {reversed.rbegin(), reversed.rend()};
}

namespace {

// Capacity units and seconds: one decimal, grouped like the counts ("126,700.0").
std::string with_one_decimal(double value) {
  const double tenths = std::round(value * 10.0);
  if (!std::isfinite(tenths) || std::fabs(tenths) >= 9e18) return std::to_string(value);
  const auto whole = static_cast<std::int64_t>(tenths);
  const auto fraction = whole % 10 < 0 ? -(whole % 10) : whole % 10;
  std::string text = with_thousands_separators(whole / 10);
  if (whole < 0 && whole / 10 == 0) text.insert(text.begin(), '-');
  return text + "." + std::to_string(fraction);
}

class text_builder {
 public:
  void line(std::string_view name, std::string_view value) {
    out_.append(name);
    out_.append(name.size() < width ? width - name.size() : 1, ' ');
    out_.append(value);
    out_.push_back('\n');
  }
  void count(std::string_view name, std::int64_t value) { line(name, with_thousands_separators(value)); }
  std::string take() && { return std::move(out_); }

 private:
  static constexpr std::size_t width = 20;  // longer than every name: "batch_write_item" + 2
  std::string out_;
};

}  // namespace

std::string to_text(const run_summary& s) {
  text_builder out;
  out.line("scavenger", s.version);
  out.line("table", s.table);
  out.line("endpoint", s.endpoint);
  out.line("command", s.command == run_command::run ? "run (" + s.delete_mode + ")" : std::string("plan"));
  out.line("cutoff", s.cutoff ? aws::format_rfc3339_utc(*s.cutoff) : "none (no age rule)");
  out.line("shard", to_string(s.shard) + " of " + with_thousands_separators(s.total_segments) + " segments");
  out.line("complete", s.complete ? "yes" : "no");
  const auto& c = s.counts;
  out.count("scanned", c.scanned);
  out.count("matched", c.matched);
  if (s.command == run_command::run) {
    out.count("deleted", c.deleted);
  } else {
    out.count("would_delete", c.would_delete);
  }
  out.count("skipped_young", c.skipped_young);
  out.count("skipped_invalid", c.skipped_invalid);
  if (s.command == run_command::run) {
    out.count("skipped_changed", c.skipped_changed);
    out.count("failed", c.failed);
    out.count("pending", c.pending);
  }
  for (const auto& [code, entry] : s.errors.entries()) {
    out.line("error " + code, with_thousands_separators(entry.count) + " (e.g. " + entry.sample + ")");
  }
  const auto& r = s.requests;
  out.count("describe_table", r.describe_table);
  out.count("scan", r.scan);
  out.count("delete_item", r.delete_item);
  out.count("batch_write_item", r.batch_write_item);
  out.count("get_item", r.get_item);
  out.count("retries", r.retries);
  out.count("throttled", r.throttled);
  out.line("consumed", with_one_decimal(s.consumed_rcu) + " RCU, " + with_one_decimal(s.consumed_wcu) + " WCU");
  if (s.command == run_command::run) {
    out.line("deleters", std::to_string(s.deleters.final) + " of " + std::to_string(s.deleters.limit) + " in flight at the end, lowest " +
                             std::to_string(s.deleters.lowest));
  }
  out.line("duration", with_one_decimal(s.duration.count()) + " s");
  for (const auto& cursor : s.cursors) {
    out.line("cursor " + std::to_string(cursor.segment),
             cursor.done ? std::string("done") : cursor.start_key.empty() ? std::string("from the start") : cursor.start_key);
  }
  return std::move(out).take();
}

}  // namespace scavenger::core
