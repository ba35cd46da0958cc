#include "scavenger/seed.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scavenger/worker_item.hpp"

namespace scavenger::core {
namespace {

namespace asio = boost::asio;
using seed_result = boost::system::result<seed_report, seed_error>;

// AWS creates and deletes an empty on-demand table in seconds, a big one in minutes; the
// emulators do it at once. Past this, something is wrong and waiting longer will not help.
constexpr std::chrono::minutes table_wait_limit{5};

std::optional<seed_error> validate(const seed_settings& settings) {
  if (settings.table.empty()) return seed_error{"seed: the table name is empty"};
  if (settings.items < 0) return seed_error{"seed: --items must be at least 0, not " + std::to_string(settings.items)};
  if (settings.survivors < 0 || settings.survivors > settings.items) {
    return seed_error{"seed: --survivors must be between 0 and --items (" + std::to_string(settings.items) + "), not " +
                      std::to_string(settings.survivors)};
  }
  if (settings.writers < 1) return seed_error{"seed: writers must be at least 1, not " + std::to_string(settings.writers)};
  return std::nullopt;
}

seed_error failed(std::string_view what, const std::string& table, const dynamodb::error& failure) {
  return seed_error{"seed: " + std::string(what) + " " + table + ": " + dynamodb::describe(failure)};
}

// DeleteTable is asynchronous: the table stays DELETING until DescribeTable answers
// ResourceNotFoundException, and a CreateTable before that fails with ResourceInUseException.
asio::awaitable<std::optional<seed_error>> wait_until_gone(dynamodb::client& client, const std::string& table) {
  const auto give_up_at = std::chrono::steady_clock::now() + table_wait_limit;
  asio::steady_timer pause(client.executor());
  auto interval = std::chrono::milliseconds(50);
  for (;;) {
    auto described = co_await client.describe_table(table);
    if (!described) {
      if (described.error().is("ResourceNotFoundException")) co_return std::nullopt;
      co_return failed("DescribeTable", table, described.error());
    }
    if (std::chrono::steady_clock::now() >= give_up_at) {
      co_return seed_error{"seed: table " + table + " is still " + described->status + " after " +
                           std::to_string(table_wait_limit.count()) + " minutes"};
    }
    pause.expires_after(interval);
    co_await pause.async_wait(asio::use_awaitable);
    interval = std::min(interval * 2, std::chrono::milliseconds(1000));
  }
}

// An empty, ACTIVE table of the original's shape, or the reason there is none.
asio::awaitable<std::optional<seed_error>> prepare_table(dynamodb::client& client, const seed_settings& settings) {
  const auto& table = settings.table;
  auto described = co_await client.describe_table(table);
  if (described) {
    if (!settings.recreate) {
      co_return seed_error{"seed: table " + table + " already exists; pass --recreate to delete it and seed it again"};
    }
    // DeleteTable refuses a table that is still being created or updated (ResourceInUseException).
    if (described->status == "CREATING" || described->status == "UPDATING") {
      auto active = co_await client.wait_until_active(table, table_wait_limit);
      if (!active) co_return failed("waiting for", table, active.error());
    }
    if (described->status != "DELETING") {
      auto deleted = co_await client.delete_table(table);
      if (!deleted && !deleted.error().is("ResourceNotFoundException")) co_return failed("DeleteTable", table, deleted.error());
    }
    auto gone = co_await wait_until_gone(client, table);
    if (gone) co_return gone;
  } else if (!described.error().is("ResourceNotFoundException")) {
    co_return failed("DescribeTable", table, described.error());
  }

  dynamodb::create_table_request request{table, worker_table_keys(), std::nullopt};  // on demand
  auto created = co_await client.create_table(std::move(request));
  if (!created) co_return failed("CreateTable", table, created.error());
  auto active = co_await client.wait_until_active(table, table_wait_limit);
  if (!active) co_return failed("waiting for", table, active.error());
  co_return std::nullopt;
}

// What the writers share (one io_context thread: no locks).
struct write_state {
  write_state(dynamodb::client& writer_client, const seed_settings& seed, worker_item_plan items)
      : client(writer_client), settings(seed), plan(items) {}

  dynamodb::client& client;
  const seed_settings& settings;
  worker_item_plan plan;
  std::int64_t next_index = 0;  // the first item no writer has taken yet
  std::int64_t written = 0;
  std::optional<seed_error> failure;  // the first one; it stops the writers taking more items
  std::mt19937_64 jitter{std::random_device{}()};
};

// Takes 25 items at a time until none are left, and sends each batch until every item is in.
asio::awaitable<void> writer(write_state& state) {
  asio::steady_timer pause(state.client.executor());
  // Throttling on a new on-demand table is expected while it scales: wait, do not give up.
  dynamodb::call_options options;
  options.throttling_uses_attempts = false;
  const auto batch_size = static_cast<std::int64_t>(dynamodb::max_batch_write_requests);

  while (!state.failure && state.next_index < state.plan.items) {
    const auto first = state.next_index;
    const auto last = std::min(first + batch_size, state.plan.items);
    state.next_index = last;
    std::vector<dynamodb::write_request> pending;
    pending.reserve(dynamodb::max_batch_write_requests);
    for (auto index = first; index < last; ++index) {
      pending.push_back(dynamodb::write_request{dynamodb::write_request::kind::put, state.plan.make(index)});
    }

    for (int rounds = 1;; ++rounds) {
      const auto sent = static_cast<std::int64_t>(pending.size());
      dynamodb::batch_write_request request{state.settings.table, std::move(pending), false};
      auto written = co_await state.client.batch_write_item(std::move(request), options);
      if (!written) {
        if (!state.failure) state.failure = failed("BatchWriteItem on", state.settings.table, written.error());
        co_return;
      }
      state.written += sent - static_cast<std::int64_t>(written->unprocessed.size());
      if (written->unprocessed.empty()) break;
      // UnprocessedItems: the service's advice is to send them again after an exponential backoff.
      pending = std::move(written->unprocessed);
      pause.expires_after(state.client.config().retry.backoff(rounds, state.jitter));
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
}

asio::awaitable<std::optional<seed_error>> write_items(write_state& state) {
  const auto batches = (state.plan.items + static_cast<std::int64_t>(dynamodb::max_batch_write_requests) - 1) /
                       static_cast<std::int64_t>(dynamodb::max_batch_write_requests);
  const auto writers = std::min<std::int64_t>(state.settings.writers, batches);
  if (writers == 0) co_return std::nullopt;

  auto executor = co_await asio::this_coro::executor;
  using writer_operation = decltype(asio::co_spawn(executor, writer(state), asio::deferred));
  std::vector<writer_operation> operations;
  for (std::int64_t i = 0; i < writers; ++i) operations.push_back(asio::co_spawn(executor, writer(state), asio::deferred));
  // The group waits for every writer, also when this coroutine is cancelled (it passes the
  // cancellation on to each), so `state` outlives them all.
  auto group = asio::experimental::make_parallel_group(std::move(operations));
  auto outcome = co_await group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  for (const auto& exception : std::get<1>(outcome)) {
    if (exception) std::rethrow_exception(exception);
  }
  co_return std::move(state.failure);
}

}  // namespace

asio::awaitable<seed_result> seed_table(dynamodb::client& client, const seed_settings& settings) {
  if (auto invalid = validate(settings)) co_return std::move(*invalid);
  const auto started = std::chrono::steady_clock::now();
  const auto requests_before = client.counters().batch_write_item;

  auto not_ready = co_await prepare_table(client, settings);
  if (not_ready) co_return std::move(*not_ready);

  write_state state(client, settings, worker_item_plan{settings.items, settings.survivors, settings.now});
  auto write_failure = co_await write_items(state);
  if (write_failure) co_return std::move(*write_failure);

  seed_report report;
  report.written = state.written;
  report.survivors = settings.survivors;
  report.expected_deletions = settings.items - settings.survivors;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.requests = static_cast<std::int64_t>(client.counters().batch_write_item - requests_before);
  co_return report;
}

}  // namespace scavenger::core
