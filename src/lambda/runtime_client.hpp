#pragma once
// The AWS Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
// at AWS_LAMBDA_RUNTIME_API (host:port): fetch the next invocation, answer it with a response
// or an error, or report that initialisation failed.
//
// Thread safety: none; use from the io_context thread that runs it.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "http/client.hpp"

namespace scavenger::lambda {

struct invocation {
  std::string request_id;    // Lambda-Runtime-Aws-Request-Id
  std::optional<std::chrono::system_clock::time_point> deadline;  // Lambda-Runtime-Deadline-Ms
  std::string trace_id;      // Lambda-Runtime-Trace-Id
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string body;          // the event
};

// The Runtime API could not be reached or answered with an unexpected status.
struct runtime_error {
  std::string message;
};

// Found by argument-dependent lookup: result<T, runtime_error>::value() throws std::runtime_error(message).
[[noreturn]] inline void throw_exception_from_error(const runtime_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

template <class T>
using runtime_result = boost::system::result<T, runtime_error>;

class runtime_client {
 public:
  // `host_port` is AWS_LAMBDA_RUNTIME_API's value ("127.0.0.1:9001").
  static runtime_result<http::url> endpoint_of(std::string_view host_port);

  runtime_client(boost::asio::any_io_executor executor, http::url endpoint);

  // Blocks until Lambda has an event. A long poll with no practical deadline: Lambda freezes
  // the process between invocations, and any timeout shorter than that freeze would fail.
  // Sets _X_AMZN_TRACE_ID from Lambda-Runtime-Trace-Id, as the AWS runtimes do.
  boost::asio::awaitable<runtime_result<invocation>> next();

  boost::asio::awaitable<runtime_result<void>> post_response(std::string request_id, std::string body);
  // {"errorMessage", "errorType", "stackTrace": []} with Lambda-Runtime-Function-Error-Type.
  boost::asio::awaitable<runtime_result<void>> post_error(std::string request_id, std::string type, std::string message);
  // /runtime/init/error: start-up failed; Lambda then fails the invocation and restarts.
  boost::asio::awaitable<runtime_result<void>> post_init_error(std::string type, std::string message);

 private:
  boost::asio::awaitable<runtime_result<void>> post(std::string target, std::string body, std::string error_type);

  http::client http_;
};

}  // namespace scavenger::lambda
