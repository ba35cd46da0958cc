#pragma once
// The run's one cancellation source (STYLE §4): the deadline, SIGINT/SIGTERM, --max-deletes and
// a fatal error all stop the run through it. Every coroutine that waits on I/O races its
// operation against wait(): `co_await (operation() || stop.wait())`, so a stop reaches readers
// and deleters at once, also in the middle of a request or a backoff.
//
// Thread safety: none; use from the io_context thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace scavenger::core {

enum class stop_reason { deadline, signal, max_deletes, fatal_error };
std::string_view to_string(stop_reason reason) noexcept;

class stop_source {
 public:
  explicit stop_source(boost::asio::any_io_executor executor);

  // Stops the run when `deadline` passes (the timer's own expiry wakes every waiter).
  void set_deadline(std::chrono::steady_clock::time_point deadline);
  // Stops now; the first reason wins.
  void request_stop(stop_reason reason);

  bool stopped() const noexcept { return reason_.has_value(); }
  std::optional<stop_reason> reason() const noexcept { return reason_; }

  // Completes when the run stops (at once if it already has). Never throws.
  boost::asio::awaitable<void> wait();

 private:
  boost::asio::steady_timer timer_;
  std::optional<stop_reason> reason_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

}  // namespace scavenger::core
