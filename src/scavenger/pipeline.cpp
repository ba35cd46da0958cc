#include "scavenger/pipeline.hpp"

#include <random>
#include <unordered_set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scavenger/candidate_backlog.hpp"
#include "scavenger/key_fingerprint.hpp"
#include "scavenger/packed_candidate.hpp"

namespace scavenger::core {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

boost::system::result<delete_mode, config_error> parse_delete_mode(std::string_view text) {
  if (text == "conditional") return delete_mode::conditional;
  if (text == "batch") return delete_mode::batch;
  return config_error{"--delete-mode '" + std::string(text) + "' is not a delete mode: use 'conditional' or 'batch'"};
}

std::string_view to_string(delete_mode mode) noexcept { return mode == delete_mode::batch ? "batch" : "conditional"; }

namespace {

// An item the age check passed on to the deleters, with what it needs to be settled.
struct candidate {
  packed_candidate packed;  // key, and the age attribute's raw value as scanned ("" without an age rule)
  std::uint32_t segment_index = 0;  // into the owned segments
  bool end = false;  // the readers are done: one such marker per deleter ends the deleters
  page_token page = 0;
};

using candidate_channel = asio::experimental::channel<void(boost::system::error_code, candidate)>;

// Room for three rounds of requests, as the original's 3 × segments: a batch deleter fills its
// request with what is queued and never waits for more, so a channel smaller than the deleters'
// appetite would send part-filled batches (9 keys a request at one reader and one deleter).
std::size_t channel_capacity(const pipeline_settings& settings) {
  const int per_request = settings.mode == delete_mode::batch ? static_cast<int>(dynamodb::max_batch_write_requests) : 1;
  return static_cast<std::size_t>(std::max(8, 3 * std::max(settings.readers, settings.deleters * per_request)));
}

// Candidates the readers may have found ahead of the deleters (see candidate_backlog): about
// 1.2 MB of packed keys, and a second or so of work for the deleters against DynamoDB Local.
constexpr std::int64_t candidates_ahead = 8192;

}  // namespace

struct pipeline::impl {
  impl(dynamodb::client& client_ref, const predicate& rule_ref, pipeline_settings settings_value, stop_source& stop_ref,
       deleted_log* log_ptr, asio::any_io_executor executor_value)
      : client(client_ref), rule(rule_ref), settings(std::move(settings_value)), stop(stop_ref), log(log_ptr),
        executor(executor_value),
        channel(executor, channel_capacity(settings)),
        backlog(executor, candidates_ahead), rcu(executor, settings.max_rcu), wcu(executor, settings.max_wcu), limit(executor, settings.deleters),
        all_done(executor), jitter(std::random_device{}()) {
    all_done.expires_at(std::chrono::steady_clock::time_point::max());
    for (const auto& cursor : settings.start) progress.emplace_back(cursor);
  }

  dynamodb::client& client;
  const predicate& rule;
  pipeline_settings settings;
  stop_source& stop;
  deleted_log* log;
  asio::any_io_executor executor;
  candidate_channel channel;
  candidate_backlog backlog;
  token_bucket rcu;
  token_bucket wcu;
  adaptive_limit limit;
  asio::steady_timer all_done;
  std::mt19937_64 jitter;

  std::vector<segment_progress> progress;  // one per owned segment
  std::size_t next_segment = 0;
  int readers_running = 0;
  int deleters_running = 0;
  int tasks_running = 0;

  run_counts counts;
  error_tally errors;
  double consumed_rcu = 0;
  double consumed_wcu = 0;
  std::int64_t candidates = 0;      // found by the readers (run only)
  std::int64_t settled = 0;         // of those, settled
  std::int64_t deletes_in_flight = 0;  // items in requests not yet answered
  bool draining = false;            // --max-deletes reached: take no new candidates
  bool logged_invalid_sample = false;
  std::optional<std::string> fatal;

  // --- bookkeeping -------------------------------------------------------------------------

  void settle(const candidate& item) {
    progress[item.segment_index].settle(item.page);
    ++settled;
  }

  dynamodb::item key_of(const candidate& item) const { return item.packed.key(settings.key_names); }

  void settle_deleted(const candidate& item) {
    if (log != nullptr) log->append(key_of(item));  // logged before counted (SPEC §7)
    ++counts.deleted;
    settle(item);
  }

  void settle_changed(const candidate& item) {
    ++counts.skipped_changed;
    settle(item);
  }

  void settle_failed(const candidate& item, const dynamodb::error& failure) {
    ++counts.failed;
    errors.add(failure.code(), failure.message());
    settle(item);
  }

  void stop_fatally(std::string message) {
    if (!fatal) fatal = std::move(message);
    stop.request_stop(stop_reason::fatal_error);
  }

  bool budget_exhausted() const {
    return settings.max_deletes && counts.deleted + deletes_in_flight >= *settings.max_deletes;
  }

  std::int64_t budget_left() const {
    if (!settings.max_deletes) return std::numeric_limits<std::int64_t>::max();
    return std::max<std::int64_t>(0, *settings.max_deletes - counts.deleted - deletes_in_flight);
  }

  // --- readers -----------------------------------------------------------------------------

  asio::awaitable<void> reader() {
    while (next_segment < progress.size() && !stop.stopped() && !draining) {
      const auto index = next_segment++;
      co_await read_segment(index);
    }
    if (--readers_running == 0 && settings.command == run_command::run) {
      // Tell each deleter that no more candidates will come (after those already queued).
      for (int i = 0; i < settings.deleters && !stop.stopped(); ++i) {
        candidate marker;
        marker.end = true;
        co_await (channel.async_send(boost::system::error_code{}, std::move(marker), asio::as_tuple(asio::use_awaitable)) ||
                  stop.wait());
      }
    }
  }

  asio::awaitable<void> read_segment(std::size_t index) {
    auto& segment = progress[index];
    auto cursor = segment.cursor();
    if (cursor.done) co_return;
    std::string start_key = cursor.start_key;
    while (!stop.stopped() && !draining) {
      co_await rcu.acquire(stop);
      if (stop.stopped()) co_return;
      const auto reserved = co_await backlog.reserve(stop);
      if (reserved < 0) co_return;

      dynamodb::scan_request request;
      request.table = settings.table;
      request.segment = cursor.segment;
      request.total_segments = settings.total_segments;
      request.filter_expression = rule.scan_filter_expression();
      request.projection_expression = rule.projection_expression();
      request.expression_attribute_names = rule.scan_attribute_names();
      request.expression_attribute_values = rule.scan_attribute_values();
      request.exclusive_start_key = start_key;
      request.limit = settings.page_size;
      request.consistent_read = settings.consistent_read;
      auto answer = co_await (client.scan(std::move(request)) || stop.wait());
      if (answer.index() == 1 || !std::get<0>(answer)) backlog.found(reserved, 0);
      if (answer.index() == 1) co_return;  // stopped mid-request: this page was never read
      auto& page = std::get<0>(answer);
      if (!page) {
        stop_fatally("Scan of segment " + std::to_string(cursor.segment) + " failed: " + dynamodb::describe(page.error()));
        co_return;
      }

      counts.scanned += page->scanned_count;
      counts.matched += page->count;
      consumed_rcu += page->consumed_capacity;
      rcu.spend(page->consumed_capacity);

      std::vector<candidate> found;
      found.reserve(page->items.size());
      for (auto& scanned : page->items) {
        switch (rule.check(scanned)) {
          case age_verdict::young:
            ++counts.skipped_young;
            continue;
          case age_verdict::invalid:
            ++counts.skipped_invalid;
            continue;
          case age_verdict::old_enough:
            break;
        }
        std::string_view seen_age;
        if (rule.age()) seen_age = dynamodb::find_attribute(scanned, rule.age()->attribute).value_or("");
        auto packed = packed_candidate::pack(scanned, settings.key_names, seen_age);
        if (!packed) {
          // A Scan item always carries its key; a missing one means the projection is wrong.
          stop_fatally("Scan returned an item without its key attributes: " + dynamodb::to_json(scanned));
          backlog.found(reserved, 0);
          co_return;
        }
        candidate next;
        next.packed = std::move(*packed);
        next.segment_index = static_cast<std::uint32_t>(index);
        found.push_back(std::move(next));
      }
      // Mostly-young pages: give back the room reserved for candidates that did not come.
      if (found.capacity() > 2 * found.size()) found.shrink_to_fit();

      // Only the candidates' keys wait for the deleters: free the page's items now, not after
      // the (possibly long) handover below.
      std::string next_start_key = std::move(page->last_evaluated_key);
      page->items = {};

      const bool planning = settings.command == run_command::plan;
      backlog.found(reserved, planning ? 0 : static_cast<std::int64_t>(found.size()));
      if (planning) counts.would_delete += static_cast<std::int64_t>(found.size());
      const auto token = segment.begin_page(start_key, next_start_key, planning ? 0 : found.size());
      // Counted as the page is registered: a stop in the middle of handing the page over leaves
      // the rest pending, still covered by the segment's cursor.
      if (!planning) candidates += static_cast<std::int64_t>(found.size());
      for (auto& next : found) {
        if (planning) break;  // plan settles nothing: its pages were registered as settled
        next.page = token;
        // Racing a send against the stop costs more than the rest of a candidate's handling:
        // only a full channel takes that path (a refused try_send leaves `next` untouched).
        if (channel.try_send(boost::system::error_code{}, std::move(next))) continue;
        auto sent = co_await (channel.async_send(boost::system::error_code{}, std::move(next), asio::as_tuple(asio::use_awaitable)) ||
                              stop.wait());
        if (sent.index() == 1) co_return;  // stopped: the rest of the page stays unsettled
      }
      if (next_start_key.empty()) co_return;  // only its absence ends a segment
      start_key = std::move(next_start_key);
    }
  }

  // --- deleters ----------------------------------------------------------------------------

  // Takes what is queued without waiting: false when the channel is empty; otherwise `next`
  // holds a candidate, or stays empty when the readers are done.
  bool try_take(std::optional<candidate>& next) {
    return channel.try_receive([&](boost::system::error_code ec, candidate queued) {
      if (ec || queued.end) return;
      backlog.taken(1);
      next = std::move(queued);
    });
  }

  // The next candidate, or nullopt once the readers are done or the run stops.
  asio::awaitable<std::optional<candidate>> receive() {
    std::optional<candidate> queued;
    if (try_take(queued)) co_return queued;  // racing the stop costs more: only when empty
    auto received = co_await (channel.async_receive(asio::as_tuple(asio::use_awaitable)) || stop.wait());
    if (received.index() == 1) co_return std::nullopt;
    auto& [ec, next] = std::get<0>(received);
    if (ec || next.end) co_return std::nullopt;
    backlog.taken(1);
    co_return std::move(next);
  }

  asio::awaitable<void> deleter() {
    while (!stop.stopped()) {
      if (budget_exhausted()) {
        draining = true;
        break;
      }
      auto first = co_await receive();
      if (!first) break;
      std::vector<candidate> work;
      work.push_back(std::move(*first));
      bool readers_done = false;
      if (settings.mode == delete_mode::batch) {
        // Fill the batch with what is already queued; never wait for a full one.
        const auto cap = std::min<std::int64_t>(dynamodb::max_batch_write_requests, budget_left());
        while (static_cast<std::int64_t>(work.size()) < cap) {
          std::optional<candidate> next;
          if (!try_take(next)) break;
          if (!next) {
            readers_done = true;
            break;
          }
          work.push_back(std::move(*next));
        }
      }
      if (!co_await limit.acquire(stop)) break;  // stopped: `work` stays unsettled (pending)
      deletes_in_flight += static_cast<std::int64_t>(work.size());
      if (settings.mode == delete_mode::batch) {
        co_await delete_batch(std::move(work));
      } else {
        co_await delete_one(std::move(work.front()));
      }
      limit.release();
      if (log != nullptr) log->flush();
      if (readers_done) break;
    }
    if (--deleters_running == 0 && draining) stop.request_stop(stop_reason::max_deletes);
  }

  dynamodb::call_options delete_call_options() const {
    dynamodb::call_options options;
    options.throttling_uses_attempts = false;  // a throttled item waits, it is not dropped
    return options;
  }

  // Waits for the --max-wcu budget and reserves what a delete of `items` items costs at least
  // (1 WCU each): a response reports what it consumed only when it comes back, and 32 deleters
  // sending on one second's burst would overshoot the budget by 32 requests' worth.
  asio::awaitable<double> reserve_wcu(std::size_t items) {
    co_await wcu.acquire(stop);
    const auto reserved = static_cast<double>(items);
    wcu.spend(reserved);
    co_return reserved;
  }

  asio::awaitable<void> delete_one(candidate item) {
    const double reserved = co_await reserve_wcu(1);
    dynamodb::delete_item_request request;
    request.table = settings.table;
    request.key = key_of(item);
    request.condition_expression = rule.condition_expression();
    request.expression_attribute_names = rule.condition_attribute_names();
    if (!request.condition_expression.empty()) request.expression_attribute_values = rule.condition_attribute_values(item.packed.seen_age());
    auto answer = co_await (client.delete_item(std::move(request), delete_call_options()) || stop.wait());
    deletes_in_flight -= 1;
    if (answer.index() == 1) co_return;  // stopped: pending, the cursor still covers it
    auto& deleted = std::get<0>(answer);
    if (deleted) {
      consumed_wcu += deleted->consumed_capacity;
      wcu.spend(deleted->consumed_capacity - reserved);  // a failed delete keeps its reservation
      settle_deleted(item);
      co_return;
    }
    const auto failure = deleted.error();
    if (!failure.is("ConditionalCheckFailedException")) {
      settle_failed(item, failure);
      co_return;
    }
    if (!failure.earlier_attempt_may_have_applied) {
      settle_changed(item);
      co_return;
    }
    // The condition failed on a retry whose earlier attempt may have deleted the item itself
    // (its response was lost): a consistent read tells the two apart (SPEC §4).
    dynamodb::get_item_request lookup{settings.table, key_of(item), true};
    auto found = co_await (client.get_item(std::move(lookup)) || stop.wait());
    if (found.index() == 1) co_return;
    auto& present = std::get<0>(found);
    if (!present) {
      settle_failed(item, present.error());
    } else if (present->has_value()) {
      settle_changed(item);
    } else {
      settle_deleted(item);
    }
  }

  asio::awaitable<void> delete_batch(std::vector<candidate> batch) {
    asio::steady_timer pause(executor);
    int backoff_step = 0;
    while (!batch.empty()) {
      const double reserved = co_await reserve_wcu(batch.size());
      dynamodb::batch_write_request request;
      request.table = settings.table;
      for (const auto& item : batch) request.requests.push_back({dynamodb::write_request::kind::remove, key_of(item)});
      auto answer = co_await (client.batch_write_item(std::move(request), delete_call_options()) || stop.wait());
      if (answer.index() == 1) {
        deletes_in_flight -= static_cast<std::int64_t>(batch.size());
        co_return;  // stopped: the batch stays pending
      }
      auto& written = std::get<0>(answer);
      if (!written) {
        deletes_in_flight -= static_cast<std::int64_t>(batch.size());
        const auto failure = written.error();
        for (const auto& item : batch) settle_failed(item, failure);
        co_return;
      }
      consumed_wcu += written->consumed_capacity;
      wcu.spend(written->consumed_capacity - reserved);
      auto left = unprocessed_of(batch, written->unprocessed);
      deletes_in_flight -= static_cast<std::int64_t>(batch.size() - left.size());
      if (left.empty()) co_return;
      // UnprocessedItems: DynamoDB throttled part of the batch. Back off and send the rest.
      limit.on_throttle();
      batch = std::move(left);
      backoff_step = std::min(backoff_step + 1, 62);
      pause.expires_after(settings.retry.backoff(backoff_step, jitter));
      co_await (pause.async_wait(asio::use_awaitable) || stop.wait());
      if (stop.stopped()) {
        deletes_in_flight -= static_cast<std::int64_t>(batch.size());
        co_return;
      }
    }
  }

  // Settles the processed part of `batch` as deleted and returns the unprocessed part.
  std::vector<candidate> unprocessed_of(std::vector<candidate>& batch, const std::vector<dynamodb::write_request>& unprocessed) {
    if (unprocessed.empty()) {
      for (const auto& item : batch) settle_deleted(item);
      return {};
    }
    std::unordered_set<std::string> pending;
    for (const auto& request : unprocessed) {
      auto fingerprint = key_fingerprint(request.attributes);
      // A key we cannot recognise: resend the whole batch (deletes are idempotent) rather than
      // count anything as deleted that might not be.
      if (!fingerprint) return std::move(batch);
      pending.insert(std::move(*fingerprint));
    }
    std::vector<candidate> left;
    for (auto& item : batch) {
      auto fingerprint = key_fingerprint(key_of(item));
      if (!fingerprint || pending.count(*fingerprint) != 0) {
        left.push_back(std::move(item));
      } else {
        settle_deleted(item);
      }
    }
    if (left.size() < unprocessed.size()) return std::move(batch);  // should not happen; be safe
    return left;
  }

  // --- orchestration -----------------------------------------------------------------------

  void spawn(asio::awaitable<void> task) {
    ++tasks_running;
    asio::co_spawn(executor, std::move(task), [this](std::exception_ptr error) {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& what) {
          stop_fatally(std::string("internal error: ") + what.what());
        }
      }
      if (--tasks_running == 0) all_done.cancel();  // wakes run()
    });
  }
};

pipeline::pipeline(dynamodb::client& client, const predicate& rule, pipeline_settings settings, stop_source& stop,
                   deleted_log* log)
    : impl_(std::make_unique<impl>(client, rule, std::move(settings), stop, log, client.executor())) {
  client.set_retry_observer([state = impl_.get()](std::string_view, const dynamodb::error& failure) {
    if (failure.throttling()) state->limit.on_throttle();
  });
}

pipeline::~pipeline() { impl_->client.set_retry_observer({}); }

asio::awaitable<void> pipeline::run() {
  // The run stops through the stop_source only: returning before every task finished would
  // leave them running on a destroyed pipeline.
  co_await asio::this_coro::reset_cancellation_state([](asio::cancellation_type) { return asio::cancellation_type::none; });
  auto& state = *impl_;
  const int readers = std::max(1, std::min<int>(state.settings.readers, static_cast<int>(state.progress.size())));
  state.readers_running = readers;
  for (int i = 0; i < readers; ++i) state.spawn(state.reader());
  if (state.settings.command == run_command::run) {
    state.deleters_running = state.settings.deleters;
    for (int i = 0; i < state.settings.deleters; ++i) state.spawn(state.deleter());
  }
  while (state.tasks_running > 0) co_await state.all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  state.counts.pending = state.candidates - state.settled;
}

const run_counts& pipeline::counts() const noexcept { return impl_->counts; }
const error_tally& pipeline::errors() const noexcept { return impl_->errors; }
double pipeline::consumed_rcu() const noexcept { return impl_->consumed_rcu; }
double pipeline::consumed_wcu() const noexcept { return impl_->consumed_wcu; }
const std::optional<std::string>& pipeline::fatal_error() const noexcept { return impl_->fatal; }
int pipeline::lowest_deleters() const noexcept { return impl_->limit.lowest(); }
int pipeline::current_deleters() { return impl_->limit.limit(); }

std::vector<segment_cursor> pipeline::cursors() const {
  std::vector<segment_cursor> result;
  for (const auto& segment : impl_->progress) result.push_back(segment.cursor());
  return result;
}

bool pipeline::complete() const {
  if (impl_->fatal || impl_->candidates != impl_->settled) return false;
  for (const auto& segment : impl_->progress) {
    if (!segment.cursor().done) return false;
  }
  return true;
}

}  // namespace scavenger::core
