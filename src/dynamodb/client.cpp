#include "dynamodb/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dynamodb/protocol.hpp"

namespace scavenger::dynamodb {

namespace asio = boost::asio;

namespace {

error transport_error_of(http::transport_failure failure, int attempts, bool earlier) {
  return error{std::move(failure), attempts, earlier};
}

error malformed_response(std::string detail, int attempts) {
  return error{http::transport_failure{http::transport_error::protocol_error, std::move(detail)}, attempts, false};
}

// After this failure, might the service have applied the request? A response lost after
// the request was written (time-out, reset) or a 5xx leaves it open; throttling does not.
bool may_have_applied(const error& failure) {
  if (const auto* service = failure.api()) return service->may_have_been_applied();
  switch (std::get<http::transport_failure>(failure.cause).kind) {
    case http::transport_error::timed_out:
    case http::transport_error::connection_closed:
    case http::transport_error::protocol_error:
    case http::transport_error::cancelled:
      return true;
    default:
      return false;
  }
}

// The operation's answer parsed with `parse` (a protocol:: parser), or the call's error.
template <class Parse>
auto parsed(outcome<http::response> response, Parse parse)
    -> outcome<typename std::invoke_result_t<Parse, std::string&>::value_type> {
  if (!response) return response.error();
  auto value = parse(response->body);
  if (!value) return malformed_response(value.error().message, 1);
  return std::move(*value);
}

outcome<void> succeeded(const outcome<http::response>& response) {
  if (!response) return response.error();
  return {};
}

}  // namespace

client_config client_config_for(const aws::resolved_connection& connection) {
  client_config config;
  config.endpoint = connection.endpoint;
  config.region = connection.region;
  config.http = connection.client;
  return config;
}

client::client(asio::any_io_executor executor, client_config config, std::unique_ptr<aws::credentials_provider> credentials)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      http_(std::make_unique<http::client>(executor_, config_.endpoint, config_.http)),
      credentials_(std::move(credentials)),
      jitter_(std::random_device{}()) {}

client::~client() = default;

asio::awaitable<outcome<http::response>> client::invoke(std::string_view operation, std::string body,
                                                        std::uint64_t& counter, call_options options) {
  asio::steady_timer backoff_timer(executor_);
  int attempts = 0;          // requests sent
  int counted_attempts = 0;  // attempts spent against max_attempts
  int backoff_step = 0;      // exponent of the next backoff
  bool earlier_may_have_applied = false;
  const std::string target = std::string(protocol::target_prefix) + std::string(operation);

  for (;;) {
    auto creds = co_await credentials_.get();
    if (!creds) {
      co_return error{api_error{"CredentialsError", creds.error().message, 0}, attempts, earlier_may_have_applied};
    }

    http::request request;
    request.target = "/";
    request.headers = {{"Content-Type", std::string(protocol::content_type)}, {"X-Amz-Target", target}};
    request.body = body;
    aws::signing_params params;
    params.region = config_.region;
    params.service = "dynamodb";
    params.time = std::chrono::system_clock::now();
    aws::sign_in_place(request, config_.endpoint.host_header(), *creds, params, signing_keys_);

    ++attempts;
    ++counter;
    auto sent = co_await http_->send(std::move(request), config_.request_timeout);

    std::optional<error> failure;
    if (!sent) {
      failure = transport_error_of(std::move(sent.error()), attempts, earlier_may_have_applied);
    } else if (sent->status == 200) {
      co_return std::move(*sent);
    } else {
      failure = error{parse_api_error(*sent), attempts, earlier_may_have_applied};
    }

    if (failure->throttling()) ++counters_.throttled;
    if (!failure->throttling() || options.throttling_uses_attempts) ++counted_attempts;
    if (!failure->retryable() || counted_attempts >= config_.retry.max_attempts) co_return std::move(*failure);
    if (std::holds_alternative<http::transport_failure>(failure->cause) &&
        std::get<http::transport_failure>(failure->cause).kind == http::transport_error::cancelled) {
      co_return std::move(*failure);
    }

    earlier_may_have_applied = earlier_may_have_applied || may_have_applied(*failure);
    ++counters_.retries;
    if (retry_observer_) retry_observer_(operation, *failure);
    backoff_step = std::min(backoff_step + 1, 62);
    backoff_timer.expires_after(config_.retry.backoff(backoff_step, jitter_));
    auto [waited] = co_await backoff_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (waited) {
      // Cancelled during backoff: the run's deadline or a signal. Report the last failure.
      co_return error{http::transport_failure{http::transport_error::cancelled, "cancelled while backing off after: " + describe(*failure)},
                      attempts, earlier_may_have_applied};
    }
  }
}

asio::awaitable<outcome<table_description>> client::describe_table(std::string table, call_options options) {
  auto response = co_await invoke("DescribeTable", protocol::describe_table_body(table), counters_.describe_table, options);
  co_return parsed(std::move(response), protocol::parse_table_description);
}

asio::awaitable<outcome<table_description>> client::create_table(create_table_request request, call_options options) {
  auto response = co_await invoke("CreateTable", protocol::create_table_body(request), counters_.create_table, options);
  co_return parsed(std::move(response), protocol::parse_table_description);
}

asio::awaitable<outcome<void>> client::delete_table(std::string table, call_options options) {
  auto response = co_await invoke("DeleteTable", protocol::delete_table_body(table), counters_.delete_table, options);
  co_return succeeded(response);
}

asio::awaitable<outcome<void>> client::put_item(put_item_request request, call_options options) {
  auto response = co_await invoke("PutItem", protocol::put_item_body(request), counters_.put_item, options);
  co_return succeeded(response);
}

asio::awaitable<outcome<std::optional<item>>> client::get_item(get_item_request request, call_options options) {
  auto response = co_await invoke("GetItem", protocol::get_item_body(request), counters_.get_item, options);
  co_return parsed(std::move(response), protocol::parse_get_item);
}

asio::awaitable<outcome<scan_page>> client::scan(scan_request request, call_options options) {
  auto response = co_await invoke("Scan", protocol::scan_body(request), counters_.scan, options);
  co_return parsed(std::move(response), protocol::parse_scan_page);
}

asio::awaitable<outcome<delete_item_result>> client::delete_item(delete_item_request request, call_options options) {
  auto response = co_await invoke("DeleteItem", protocol::delete_item_body(request), counters_.delete_item, options);
  co_return parsed(std::move(response), protocol::parse_delete_item_result);
}

asio::awaitable<outcome<batch_write_result>> client::batch_write_item(batch_write_request request, call_options options) {
  auto response = co_await invoke("BatchWriteItem", protocol::batch_write_item_body(request), counters_.batch_write_item, options);
  co_return parsed(std::move(response), [&request](std::string& body) {
    return protocol::parse_batch_write_result(body, request.table);
  });
}

asio::awaitable<outcome<table_description>> client::wait_until_active(std::string table, std::chrono::milliseconds limit) {
  const auto give_up_at = std::chrono::steady_clock::now() + limit;
  asio::steady_timer pause(executor_);
  for (;;) {
    auto description = co_await describe_table(table);
    if (!description || description->status == "ACTIVE") co_return description;
    if (std::chrono::steady_clock::now() >= give_up_at) {
      co_return error{api_error{"TableNotActive", "table " + table + " is still " + description->status, 0}, 1, false};
    }
    pause.expires_after(std::chrono::milliseconds(50));
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace scavenger::dynamodb
