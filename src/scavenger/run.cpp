#include "scavenger/run.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scavenger/checkpoint.hpp"
#include "scavenger/cursor_json.hpp"
#include "scavenger/deleted_log.hpp"
#include "scavenger/predicate.hpp"

namespace scavenger::core {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

int default_readers(int segments) noexcept { return std::clamp(segments, 1, 16); }

namespace {

run_result configuration_error(std::string message) {
  run_result result;
  result.exit_code = 2;
  result.error = std::move(message);
  return result;
}

predicate_settings predicate_settings_of(const run_options& options, std::optional<std::chrono::system_clock::time_point> cutoff) {
  predicate_settings settings;
  settings.filter = options.filter;
  settings.expression_attribute_names = options.expression_attribute_names;
  settings.expression_attribute_values = options.expression_attribute_values;
  settings.all = options.all;
  settings.server_age_filter = options.server_age_filter;
  if (cutoff) settings.age = age_rule{options.age_attribute, options.age_format_value, *cutoff};
  return settings;
}

checkpoint checkpoint_of(const run_options& options, std::optional<std::chrono::system_clock::time_point> cutoff,
                         std::vector<segment_cursor> cursors) {
  checkpoint saved;
  saved.table = options.table;
  saved.total_segments = options.segments;
  saved.shard = options.owner;
  saved.predicate.filter = options.filter;
  saved.predicate.expression_attribute_names = options.expression_attribute_names.empty() ? "{}" : options.expression_attribute_names;
  saved.predicate.expression_attribute_values = options.expression_attribute_values.empty() ? "{}" : options.expression_attribute_values;
  if (cutoff) {
    saved.predicate.age_attribute = options.age_attribute;
    saved.predicate.age_format = std::string(to_string(options.age_format_value));
    saved.predicate.cutoff = cutoff;
  }
  saved.cursors = std::move(cursors);
  return saved;
}

std::vector<segment_cursor> fresh_cursors(segment_range owned) {
  std::vector<segment_cursor> cursors;
  for (int segment = owned.first; segment < owned.last; ++segment) cursors.push_back({segment, "", false});
  return cursors;
}

int exit_code_of(const run_summary& summary, bool fatal) {
  if (fatal) return 1;
  if (!summary.complete) return 3;
  return summary.counts.failed > 0 ? 4 : 0;
}

}  // namespace

asio::awaitable<run_result> execute(dynamodb::client& client, run_options options, stop_source& stop,
                                    progress_callback on_progress) {
  const auto started = std::chrono::steady_clock::now();

  // --- everything that can be checked before a request is sent (exit 2) ---------------------
  if (options.table.empty()) co_return configuration_error("no table given: pass --table NAME (or set SCAVENGER_TABLE)");
  auto owned = owned_segments(options.owner, options.segments);
  if (!owned) co_return configuration_error(owned.error().message);
  if (options.deleters < 1) co_return configuration_error("--deleters must be at least 1");
  const int readers = options.readers.value_or(default_readers(options.segments));
  if (readers < 1) co_return configuration_error("--readers must be at least 1");
  if (options.older_than && options.age_attribute.empty()) {
    co_return configuration_error("--older-than needs --age-attribute NAME: the attribute that holds each item's timestamp");
  }
  if (!options.older_than && !options.cutoff && !options.age_attribute.empty()) {
    co_return configuration_error("--age-attribute needs --older-than DURATION (for example 48h)");
  }

  std::optional<checkpoint> resumed;
  if (!options.resume_path.empty()) {
    auto loaded = load_checkpoint(options.resume_path);
    if (!loaded) co_return configuration_error(loaded.error().message);
    resumed = std::move(*loaded);
    // A resumed run keeps the first run's cutoff, so it deletes exactly what that run would have.
    if (!options.cutoff) options.cutoff = resumed->predicate.cutoff;
  }
  std::optional<std::chrono::system_clock::time_point> cutoff = options.cutoff;
  if (!cutoff && options.older_than) {
    // Whole seconds: a cutoff people can read in the summary, and no difference to the rule.
    cutoff = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - *options.older_than;
  }
  if (cutoff && options.age_attribute.empty()) {
    co_return configuration_error("a cutoff needs --age-attribute NAME: the attribute that holds each item's timestamp");
  }

  auto settings = predicate_settings_of(options, cutoff);
  if (auto checked = build_predicate(settings, {"key"}); !checked) co_return configuration_error(checked.error().message);

  std::vector<segment_cursor> start = fresh_cursors(*owned);
  if (resumed) {
    if (auto difference = compatible(*resumed, checkpoint_of(options, cutoff, {}))) {
      co_return configuration_error("--resume " + options.resume_path + " does not match this run: " + *difference);
    }
    start = resumed->cursors;
  } else if (options.cursors) {
    if (auto problem = check_cursors(*options.cursors, options.owner, options.segments)) co_return configuration_error(*problem);
    start = *options.cursors;
  }

  std::unique_ptr<deleted_log> log;
  if (!options.deleted_log.empty() && options.command == run_command::run) {
    auto opened = deleted_log::open(options.deleted_log);
    if (!opened) co_return configuration_error(opened.error().message);
    log = std::move(*opened);
  }

  // --- the table ---------------------------------------------------------------------------
  run_result result;
  result.summary_valid = true;
  auto& summary = result.summary;
  summary.version = SCAVENGER_VERSION;
  summary.table = options.table;
  summary.endpoint = options.endpoint;
  summary.command = options.command;
  summary.delete_mode = std::string(to_string(options.mode));
  summary.cutoff = cutoff;
  summary.shard = options.owner;
  summary.total_segments = options.segments;

  // This run's requests only: a client (and its counters) may serve many runs, as in Lambda.
  const auto before = client.counters();
  auto fill_requests = [&] {
    const auto& after = client.counters();
    auto delta = [](std::uint64_t now, std::uint64_t then) { return static_cast<std::int64_t>(now - then); };
    summary.requests.describe_table = delta(after.describe_table, before.describe_table);
    summary.requests.scan = delta(after.scan, before.scan);
    summary.requests.delete_item = delta(after.delete_item, before.delete_item);
    summary.requests.batch_write_item = delta(after.batch_write_item, before.batch_write_item);
    summary.requests.get_item = delta(after.get_item, before.get_item);
    summary.requests.retries = delta(after.retries, before.retries);
    summary.requests.throttled = delta(after.throttled, before.throttled);
    summary.duration = std::chrono::steady_clock::now() - started;
  };

  auto described = co_await (client.describe_table(options.table) || stop.wait());
  if (described.index() == 1 || !std::get<0>(described)) {
    result.exit_code = described.index() == 1 ? 3 : 1;
    result.error = described.index() == 1 ? "stopped (" + std::string(to_string(*stop.reason())) + ") before the run began"
                                          : "DescribeTable " + options.table + " failed: " + dynamodb::describe(std::get<0>(described).error());
    summary.cursors = start;
    fill_requests();
    co_return result;
  }
  const auto key_names = std::get<0>(described)->keys.names();
  auto rule = build_predicate(settings, key_names);
  if (!rule) co_return configuration_error(rule.error().message);

  // --- the pipeline ------------------------------------------------------------------------
  pipeline_settings pipe;
  pipe.table = options.table;
  pipe.command = options.command;
  pipe.mode = options.mode;
  pipe.total_segments = options.segments;
  pipe.start = start;
  pipe.key_names = key_names;
  pipe.readers = readers;
  pipe.deleters = options.deleters;
  pipe.page_size = options.page_size;
  pipe.consistent_read = options.consistent_read;
  pipe.max_deletes = options.max_deletes;
  pipe.max_rcu = options.max_rcu;
  pipe.max_wcu = options.max_wcu;
  pipe.retry = options.retry;
  pipeline work(client, *rule, std::move(pipe), stop, log.get());

  std::string checkpoint_failure;
  auto save = [&] {
    if (options.checkpoint_path.empty()) return;
    auto saved = save_checkpoint(options.checkpoint_path, checkpoint_of(options, cutoff, work.cursors()));
    if (!saved && checkpoint_failure.empty()) checkpoint_failure = saved.error().message;
  };

  // Ticks once a second for progress, and writes the checkpoint every interval. Raced with
  // the pipeline through `||`, so it is cancelled and finished before this frame goes away.
  asio::steady_timer tick(client.executor());
  auto ticker = [&]() -> asio::awaitable<void> {
    auto next_checkpoint = std::chrono::steady_clock::now() + options.checkpoint_interval;
    for (;;) {
      tick.expires_after(std::chrono::seconds(1));
      auto [ec] = co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      if (on_progress) on_progress(work, std::chrono::steady_clock::now() - started);
      if (std::chrono::steady_clock::now() >= next_checkpoint) {
        save();
        next_checkpoint = std::chrono::steady_clock::now() + options.checkpoint_interval;
      }
    }
  };
  save();  // a checkpoint exists from the start, so a kill at any moment can resume
  co_await (work.run() || ticker());

  summary.counts = work.counts();
  summary.errors = work.errors();
  summary.consumed_rcu = work.consumed_rcu();
  summary.consumed_wcu = work.consumed_wcu();
  if (options.command == run_command::run) summary.deleters = {options.deleters, work.lowest_deleters(), work.current_deleters()};
  summary.complete = work.complete();
  if (!summary.complete) summary.cursors = work.cursors();
  fill_requests();
  save();
  if (on_progress) on_progress(work, std::chrono::steady_clock::now() - started);

  const bool fatal = work.fatal_error().has_value();
  result.exit_code = exit_code_of(summary, fatal);
  if (fatal) result.error = *work.fatal_error();
  if (!checkpoint_failure.empty() && result.error.empty()) result.error = "checkpoint not written: " + checkpoint_failure;
  co_return result;
}

}  // namespace scavenger::core
