#pragma once
// The scavenger's pipeline (SPEC §2) on one io_context:
//
//   segment readers (<= readers at once) --Scan pages--> age check --candidates-->
//   bounded channel (a full channel pauses the readers) --> deleters (<= deleters requests
//   in flight, fewer while throttled) --> settle: deleted / skipped_changed / failed
//
// Every item the Scan returns ends in exactly one bucket, and every segment's cursor stays at
// its oldest page with an unsettled candidate, so a stop at any moment (deadline, signal,
// --max-deletes, a fatal Scan error) leaves counts that add up and cursors that skip nothing.
//
// Thread safety: none. Construct, run and read it on the io_context thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "dynamodb/client.hpp"
#include "scavenger/adaptive_limit.hpp"
#include "scavenger/deleted_log.hpp"
#include "scavenger/predicate.hpp"
#include "scavenger/run_summary.hpp"
#include "scavenger/segment_cursor.hpp"
#include "scavenger/stop_source.hpp"
#include "scavenger/token_bucket.hpp"

namespace scavenger::core {

enum class delete_mode { conditional, batch };
boost::system::result<delete_mode, config_error> parse_delete_mode(std::string_view text);
std::string_view to_string(delete_mode mode) noexcept;

struct pipeline_settings {
  std::string table;
  run_command command = run_command::run;
  delete_mode mode = delete_mode::conditional;
  int total_segments = 8;
  std::vector<segment_cursor> start;  // one per owned segment: where each begins (or resumes)
  std::vector<std::string> key_names;  // the table's key schema, partition key first
  int readers = 8;
  int deleters = 32;
  std::optional<std::int64_t> page_size;  // Scan Limit
  bool consistent_read = false;
  std::optional<std::int64_t> max_deletes;
  double max_rcu = 0;  // per second; 0: unlimited
  double max_wcu = 0;
  aws::retry_policy retry;  // backoff for UnprocessedItems
};

class pipeline {
 public:
  pipeline(dynamodb::client& client, const predicate& rule, pipeline_settings settings, stop_source& stop,
           deleted_log* log);
  ~pipeline();
  pipeline(const pipeline&) = delete;
  pipeline& operator=(const pipeline&) = delete;

  // Runs until every owned segment is scanned and every candidate settled, or the run stops.
  boost::asio::awaitable<void> run();

  const run_counts& counts() const noexcept;  // pending is filled in once run() returns
  const error_tally& errors() const noexcept;
  double consumed_rcu() const noexcept;
  double consumed_wcu() const noexcept;
  std::vector<segment_cursor> cursors() const;  // every owned segment, in segment order
  bool complete() const;                        // every owned segment done, nothing pending
  const std::optional<std::string>& fatal_error() const noexcept;  // why the run stopped, if a Scan failed
  int lowest_deleters() const noexcept;
  int current_deleters();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace scavenger::core
