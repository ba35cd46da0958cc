#pragma once
// One `plan` or `run` from settings to summary: validate everything that can be validated
// before a request is sent (exit 2), read the key schema, build the predicate, resume from a
// checkpoint or cursors, run the pipeline with periodic checkpoints, and summarise (SPEC §2-§8).
//
// Thread safety: none; run on the io_context thread.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "aws/retry.hpp"
#include "dynamodb/client.hpp"
#include "scavenger/age_rule.hpp"
#include "scavenger/pipeline.hpp"
#include "scavenger/run_summary.hpp"
#include "scavenger/shard.hpp"
#include "scavenger/stop_source.hpp"

namespace scavenger::core {

struct run_options {
  run_command command = run_command::run;
  std::string table;
  std::string endpoint;  // as shown in the summary

  // The predicate (SPEC §3).
  std::string filter;
  std::string expression_attribute_names;
  std::string expression_attribute_values;
  std::optional<std::chrono::seconds> older_than;
  std::string age_attribute;
  age_format age_format_value = age_format::rfc3339;
  bool server_age_filter = false;
  bool all = false;
  // A cutoff carried over from an earlier run (Lambda follow-ups); else now - older_than.
  std::optional<std::chrono::system_clock::time_point> cutoff;

  delete_mode mode = delete_mode::conditional;
  int segments = 8;
  std::optional<int> readers;  // default: segments, at most 16
  int deleters = 32;
  std::optional<std::int64_t> page_size;
  bool consistent_read = false;
  std::optional<std::int64_t> max_deletes;
  double max_rcu = 0;
  double max_wcu = 0;
  std::string deleted_log;

  std::string checkpoint_path;
  std::chrono::milliseconds checkpoint_interval{5000};
  std::string resume_path;
  shard owner;
  std::optional<std::vector<segment_cursor>> cursors;  // where to resume (Lambda event)
  aws::retry_policy retry;
};

struct run_result {
  run_summary summary;
  int exit_code = 0;  // SPEC §7: 0 complete, 1 fatal, 2 configuration, 3 incomplete, 4 some failed
  std::string error;  // one line for stderr when exit_code is 1 or 2
  bool summary_valid = false;  // false for a configuration error: nothing ran
};

// Called about once a second while the pipeline runs (progress line, debug logs).
using progress_callback = std::function<void(pipeline&, std::chrono::steady_clock::duration elapsed)>;

boost::asio::awaitable<run_result> execute(dynamodb::client& client, run_options options, stop_source& stop,
                                           progress_callback on_progress = {});

// The default number of concurrent segment readers: one per segment, at most 16.
int default_readers(int segments) noexcept;

}  // namespace scavenger::core
