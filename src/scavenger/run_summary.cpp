#include "scavenger/run_summary.hpp"

#include <cmath>

#include "aws/rfc3339.hpp"
#include "dynamodb/json_writer.hpp"
#include "scavenger/cursor_json.hpp"

namespace scavenger::core {

std::string_view to_string(run_command command) noexcept {
  return command == run_command::plan ? "plan" : "run";
}

bool buckets_add_up(const run_counts& c, run_command command) noexcept {
  if (command == run_command::plan) {
    return c.matched == c.skipped_young + c.skipped_invalid + c.would_delete && c.deleted == 0 &&
           c.skipped_changed == 0 && c.failed == 0 && c.pending == 0;
  }
  return c.matched == c.skipped_young + c.skipped_invalid + c.deleted + c.skipped_changed + c.failed + c.pending &&
         c.would_delete == 0;
}

void error_tally::add(std::string_view code, std::string_view message) {
  auto found = entries_.find(code);
  if (found == entries_.end()) found = entries_.emplace(std::string(code), entry{0, std::string(message)}).first;
  ++found->second.count;
}

namespace {

// Milliseconds are plenty for a run's duration, and keep "12.3" from printing as 12.300000001.
double round_to_millis(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

}  // namespace

std::string to_json(const run_summary& s) {
  dynamodb::json_writer out;
  out.begin_object()
      .member("version", s.version)
      .member("table", s.table)
      .member("endpoint", s.endpoint)
      .member("command", to_string(s.command))
      .member("delete_mode", s.delete_mode);
  if (s.cutoff) {
    out.member("cutoff", aws::format_rfc3339_utc(*s.cutoff));
  } else {
    out.key("cutoff").null();
  }
  out.member("shard", to_string(s.shard))
      .key("total_segments").number(std::int64_t{s.total_segments})
      .key("complete").boolean(s.complete);
  const auto& c = s.counts;
  out.key("counts").begin_object()
      .key("scanned").number(c.scanned)
      .key("matched").number(c.matched)
      .key("deleted").number(c.deleted)
      .key("skipped_young").number(c.skipped_young)
      .key("skipped_invalid").number(c.skipped_invalid)
      .key("skipped_changed").number(c.skipped_changed)
      .key("failed").number(c.failed)
      .key("pending").number(c.pending)
      .key("would_delete").number(c.would_delete)
      .end_object();
  out.key("errors").begin_object();
  for (const auto& [code, entry] : s.errors.entries()) {
    out.key(code).begin_object().key("count").number(entry.count).member("sample", entry.sample).end_object();
  }
  out.end_object();
  const auto& r = s.requests;
  out.key("requests").begin_object()
      .key("describe_table").number(r.describe_table)
      .key("scan").number(r.scan)
      .key("delete_item").number(r.delete_item)
      .key("batch_write_item").number(r.batch_write_item)
      .key("get_item").number(r.get_item)
      .key("retries").number(r.retries)
      .key("throttled").number(r.throttled)
      .end_object();
  out.key("consumed").begin_object()
      .key("rcu").number(s.consumed_rcu)
      .key("wcu").number(s.consumed_wcu)
      .end_object();
  if (s.command == run_command::run) {
    out.key("deleters").begin_object()
        .key("limit").number(std::int64_t{s.deleters.limit})
        .key("lowest").number(std::int64_t{s.deleters.lowest})
        .key("final").number(std::int64_t{s.deleters.final})
        .end_object();
  }
  out.key("duration_s").number(round_to_millis(s.duration.count()));
  out.key("cursors");
  write_cursors(out, s.cursors);
  out.end_object();
  return std::move(out).str();
}

}  // namespace scavenger::core
