#pragma once
// A run's summary (SPEC §8): what it read, what became of every item, what it cost, and where
// to resume. JSON on stdout and as the Lambda response; text for people.
//
// Thread safety: plain values. error_tally is not synchronised; one strand owns a run's tally.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scavenger/segment_cursor.hpp"
#include "scavenger/shard.hpp"

namespace scavenger::core {

enum class run_command { plan, run };
std::string_view to_string(run_command command) noexcept;

// Every item Scan returns ends in exactly one bucket (SPEC §2).
struct run_counts {
  std::int64_t scanned = 0;  // sum of ScannedCount
  std::int64_t matched = 0;  // sum of Count
  std::int64_t deleted = 0;
  std::int64_t skipped_young = 0;
  std::int64_t skipped_invalid = 0;
  std::int64_t skipped_changed = 0;
  std::int64_t failed = 0;
  std::int64_t pending = 0;
  std::int64_t would_delete = 0;  // plan's candidates; 0 for run
  friend bool operator==(const run_counts&, const run_counts&) = default;
};

// SPEC §2's identity: run: matched = skipped_young + skipped_invalid + deleted +
// skipped_changed + failed + pending, and would_delete = 0; plan: matched = skipped_young +
// skipped_invalid + would_delete, and the run-only buckets are 0. A false answer is a bug in
// the pipeline: some item was lost or counted twice.
bool buckets_add_up(const run_counts& counts, run_command command) noexcept;

// Errors met, per DynamoDB error code (or transport error name): a count and the first message,
// so a summary shows each kind of failure once without a line per item.
class error_tally {
 public:
  struct entry {
    std::int64_t count = 0;
    std::string sample;
    friend bool operator==(const entry&, const entry&) = default;
  };
  void add(std::string_view code, std::string_view message);
  // Sorted by code, so that summaries compare and diff well.
  const std::map<std::string, entry, std::less<>>& entries() const noexcept { return entries_; }

 private:
  std::map<std::string, entry, std::less<>> entries_;
};

struct request_counts {
  std::int64_t describe_table = 0;
  std::int64_t scan = 0;
  std::int64_t delete_item = 0;
  std::int64_t batch_write_item = 0;
  std::int64_t get_item = 0;  // settling a retried conditional delete (SPEC §4)
  std::int64_t retries = 0;
  std::int64_t throttled = 0;
};

// Adaptive concurrency (SPEC §5): delete requests allowed in flight. Throttling halves the
// limit, each quiet second adds one back; `lowest` shows how hard the table pushed back.
struct deleter_concurrency {
  int limit = 0;   // --deleters
  int lowest = 0;  // the lowest the limit fell to
  int final = 0;   // the limit when the run ended
};

struct run_summary {
  std::string version;  // scavenger's version
  std::string table;
  std::string endpoint;
  run_command command = run_command::run;
  std::string delete_mode;  // "conditional" or "batch"
  std::optional<std::chrono::system_clock::time_point> cutoff;  // none without an age rule
  core::shard shard;
  int total_segments = 1;
  bool complete = false;
  run_counts counts;
  error_tally errors;
  request_counts requests;
  double consumed_rcu = 0;
  double consumed_wcu = 0;
  deleter_concurrency deleters;  // all 0 for plan
  std::chrono::duration<double> duration{0};
  std::vector<segment_cursor> cursors;  // every owned segment when incomplete
};

// The JSON of SPEC §8, keys in its order: version, table, endpoint, command, delete_mode,
// cutoff, shard, total_segments, complete, counts, errors, requests (get_item after
// batch_write_item), consumed, deleters (run only), duration_s (milliseconds precision), cursors.
std::string to_json(const run_summary& summary);

// For people: one aligned "name  value" line per field, counts with thousands separators,
// the cursors last when there are any.
std::string to_text(const run_summary& summary);

// 1234567 -> "1,234,567".
std::string with_thousands_separators(std::int64_t value);

}  // namespace scavenger::core
