#pragma once
// Shared helpers of the http client tests: blocking sends on a test io_context.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "http/client.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::http {

// Generous for loopback, yet a hang fails well inside ctest's time-out.
inline constexpr std::chrono::milliseconds test_timeout{5000};

inline url url_of(const std::string& text) {
  auto parsed = parse_url(text);
  if (!parsed) throw std::runtime_error(parsed.error());
  return *parsed;
}

inline request make_request(std::string method, std::string target, std::string body = {}) {
  request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.body = std::move(body);
  return req;
}

inline send_result send_now(boost::asio::io_context& io, client& c, request req, std::chrono::milliseconds timeout = test_timeout) {
  return test::run(io, c.send(std::move(req), timeout));
}

// Starts `count` sends at once on `io` and waits for all of them (bounded by the test time-out).
inline std::vector<send_result> send_concurrently(boost::asio::io_context& io, client& c, std::size_t count, const request& req) {
  std::vector<send_result> results(count);
  std::size_t finished = 0;
  for (std::size_t i = 0; i < count; ++i) {
    boost::asio::co_spawn(io, c.send(req, test_timeout), [&results, &finished, i](std::exception_ptr error, send_result r) {
      if (error) std::rethrow_exception(error);
      results[i] = std::move(r);
      ++finished;
    });
  }
  if (io.stopped()) io.restart();
  const auto until = std::chrono::steady_clock::now() + 2 * test_timeout;
  while (finished < count && std::chrono::steady_clock::now() < until) io.run_one_until(until);
  if (finished < count) throw std::runtime_error("concurrent sends did not finish in time");
  return results;
}

// gtest prints a failed send as its kind and detail.
inline std::string describe(const send_result& r) {
  if (r) return "status " + std::to_string(r->status);
  return std::string(to_string(r.error().kind)) + ": " + r.error().detail;
}

}  // namespace scavenger::http
