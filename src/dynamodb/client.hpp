#pragma once
// A typed, signed, retrying DynamoDB client on one keep-alive connection pool.
//
// Every operation is a coroutine returning a result: the value, or a dynamodb::error once the
// retry policy (SPEC §5) gave up or met a non-retryable error. Retries back off with full
// jitter; a cancelled coroutine (deadline, signal) stops between attempts and during backoff.
//
// Thread safety: none. Use a client from the io_context thread that runs it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "aws/credentials_chain.hpp"
#include "aws/endpoint.hpp"
#include "aws/retry.hpp"
#include "aws/sigv4.hpp"
#include "dynamodb/error.hpp"
#include "dynamodb/operations.hpp"
#include "http/client.hpp"

namespace scavenger::dynamodb {

struct client_config {
  http::url endpoint;
  std::string region;
  http::client_options http;
  aws::retry_policy retry;
  std::chrono::milliseconds request_timeout{10'000};  // per attempt (--request-timeout)
};

// The endpoint, region and transport options of a resolved connection, with default retries
// and request time-out.
client_config client_config_for(const aws::resolved_connection& connection);

// Requests sent (every attempt counts), retries and throttled answers: the summary's "requests".
struct request_counters {
  std::uint64_t describe_table = 0;
  std::uint64_t create_table = 0;
  std::uint64_t delete_table = 0;
  std::uint64_t put_item = 0;
  std::uint64_t get_item = 0;
  std::uint64_t scan = 0;
  std::uint64_t delete_item = 0;
  std::uint64_t batch_write_item = 0;
  std::uint64_t retries = 0;
  std::uint64_t throttled = 0;
};

struct call_options {
  // SPEC §5: a throttled delete waits, it is not dropped; the scavenger sets this false for
  // deletes, so throttling backs off without spending the call's attempts.
  bool throttling_uses_attempts = true;
};

template <class T>
using outcome = boost::system::result<T, error>;

class client {
 public:
  client(boost::asio::any_io_executor executor, client_config config,
         std::unique_ptr<aws::credentials_provider> credentials);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  boost::asio::awaitable<outcome<table_description>> describe_table(std::string table, call_options options = {});
  boost::asio::awaitable<outcome<table_description>> create_table(create_table_request request, call_options options = {});
  boost::asio::awaitable<outcome<void>> delete_table(std::string table, call_options options = {});
  boost::asio::awaitable<outcome<void>> put_item(put_item_request request, call_options options = {});
  boost::asio::awaitable<outcome<std::optional<item>>> get_item(get_item_request request, call_options options = {});
  boost::asio::awaitable<outcome<scan_page>> scan(scan_request request, call_options options = {});
  boost::asio::awaitable<outcome<delete_item_result>> delete_item(delete_item_request request, call_options options = {});
  boost::asio::awaitable<outcome<batch_write_result>> batch_write_item(batch_write_request request, call_options options = {});

  // Polls DescribeTable until the table is ACTIVE (dynalite and AWS create tables asynchronously).
  boost::asio::awaitable<outcome<table_description>> wait_until_active(std::string table, std::chrono::milliseconds limit);

  // Called for every failed attempt that will be retried (throttling among them), before the
  // backoff: the scavenger's adaptive concurrency reacts to throttling as it happens.
  using retry_observer = std::function<void(std::string_view operation, const error& failure)>;
  void set_retry_observer(retry_observer observer) { retry_observer_ = std::move(observer); }

  const request_counters& counters() const noexcept { return counters_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  const client_config& config() const noexcept { return config_; }
  http::client& transport() noexcept { return *http_; }

 private:
  boost::asio::awaitable<outcome<http::response>> invoke(std::string_view operation, std::string body,
                                                         std::uint64_t& counter, call_options options);

  boost::asio::any_io_executor executor_;
  client_config config_;
  std::unique_ptr<http::client> http_;
  aws::credentials_cache credentials_;
  aws::signing_key_cache signing_keys_;
  std::mt19937_64 jitter_;
  request_counters counters_;
  retry_observer retry_observer_;
};

}  // namespace scavenger::dynamodb
