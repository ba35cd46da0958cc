#include "lambda/runtime_client.hpp"

#include <cstdlib>

#include <charconv>

#include "dynamodb/json_writer.hpp"

namespace scavenger::lambda {

namespace asio = boost::asio;

namespace {

constexpr std::string_view api_prefix = "/2018-06-01/runtime";
// /next waits for as long as Lambda keeps the sandbox frozen; a day stands for "no deadline"
// while still ending a poll against a runtime API that has silently gone away.
constexpr std::chrono::milliseconds next_timeout = std::chrono::hours(24);
// The Runtime API is local to the sandbox: posting an answer takes milliseconds.
constexpr std::chrono::milliseconds post_timeout = std::chrono::seconds(30);

std::string error_body(std::string_view type, std::string_view message) {
  dynamodb::json_writer out;
  out.begin_object().member("errorMessage", message).member("errorType", type).key("stackTrace").begin_array().end_array().end_object();
  return std::move(out).str();
}

std::optional<std::chrono::system_clock::time_point> epoch_millis(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::int64_t millis = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), millis);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis));
}

std::string header_or_empty(const http::response& answer, std::string_view name) {
  return std::string(answer.header_value(name).value_or(""));
}

}  // namespace

runtime_result<http::url> runtime_client::endpoint_of(std::string_view host_port) {
  if (host_port.empty()) return runtime_error{"AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs inside AWS Lambda"};
  auto parsed = http::parse_url("http://" + std::string(host_port));
  if (!parsed) return runtime_error{"AWS_LAMBDA_RUNTIME_API '" + std::string(host_port) + "': " + parsed.error()};
  return *parsed;
}

runtime_client::runtime_client(asio::any_io_executor executor, http::url endpoint)
    : http_(std::move(executor), std::move(endpoint)) {}

asio::awaitable<runtime_result<invocation>> runtime_client::next() {
  http::request poll;
  poll.method = "GET";
  poll.target = std::string(api_prefix) + "/invocation/next";
  auto answer = co_await http_.send(std::move(poll), next_timeout);
  if (!answer) co_return runtime_error{"GET /invocation/next failed: " + answer.error().detail};
  if (answer->status != 200) {
    co_return runtime_error{"GET /invocation/next answered HTTP " + std::to_string(answer->status) + ": " + answer->body};
  }
  invocation next_event;
  next_event.request_id = header_or_empty(*answer, "Lambda-Runtime-Aws-Request-Id");
  if (next_event.request_id.empty()) co_return runtime_error{"GET /invocation/next answered without Lambda-Runtime-Aws-Request-Id"};
  next_event.deadline = epoch_millis(answer->header_value("Lambda-Runtime-Deadline-Ms"));
  next_event.trace_id = header_or_empty(*answer, "Lambda-Runtime-Trace-Id");
  next_event.function_arn = header_or_empty(*answer, "Lambda-Runtime-Invoked-Function-Arn");
  next_event.body = std::move(answer->body);
  // X-Ray: the SDKs read the current trace from this variable (one invocation at a time).
  if (next_event.trace_id.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");
  } else {
    ::setenv("_X_AMZN_TRACE_ID", next_event.trace_id.c_str(), 1);
  }
  co_return next_event;
}

asio::awaitable<runtime_result<void>> runtime_client::post(std::string target, std::string body, std::string error_type) {
  http::request message;
  message.method = "POST";
  message.target = std::move(target);
  message.headers.push_back({"Content-Type", "application/json"});
  if (!error_type.empty()) message.headers.push_back({"Lambda-Runtime-Function-Error-Type", std::move(error_type)});
  message.body = std::move(body);
  const std::string described = "POST " + message.target;
  auto answer = co_await http_.send(std::move(message), post_timeout);
  if (!answer) co_return runtime_error{described + " failed: " + answer.error().detail};
  // 202 Accepted; 413 (payload too large) and 4xx mean this answer was refused.
  if (answer->status / 100 != 2) {
    co_return runtime_error{described + " answered HTTP " + std::to_string(answer->status) + ": " + answer->body};
  }
  co_return runtime_result<void>{};
}

asio::awaitable<runtime_result<void>> runtime_client::post_response(std::string request_id, std::string body) {
  std::string target = std::string(api_prefix) + "/invocation/" + request_id + "/response";
  std::string no_error;  // named: GCC 12 mishandles temporaries in co_await'ed calls
  co_return co_await post(std::move(target), std::move(body), std::move(no_error));
}

asio::awaitable<runtime_result<void>> runtime_client::post_error(std::string request_id, std::string type, std::string message) {
  std::string target = std::string(api_prefix) + "/invocation/" + request_id + "/error";
  std::string body = error_body(type, message);
  co_return co_await post(std::move(target), std::move(body), std::move(type));
}

asio::awaitable<runtime_result<void>> runtime_client::post_init_error(std::string type, std::string message) {
  std::string target = std::string(api_prefix) + "/init/error";
  std::string body = error_body(type, message);
  co_return co_await post(std::move(target), std::move(body), std::move(type));
}

}  // namespace scavenger::lambda
