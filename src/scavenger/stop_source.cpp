#include "scavenger/stop_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scavenger::core {

std::string_view to_string(stop_reason reason) noexcept {
  switch (reason) {
    case stop_reason::deadline: return "deadline";
    case stop_reason::signal: return "signal";
    case stop_reason::max_deletes: return "max-deletes";
    case stop_reason::fatal_error: return "fatal error";
  }
  return "unknown";
}

stop_source::stop_source(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {
  timer_.expires_at(std::chrono::steady_clock::time_point::max());
}

void stop_source::set_deadline(std::chrono::steady_clock::time_point deadline) {
  if (stopped()) return;
  deadline_ = deadline;
  timer_.expires_at(deadline);
}

void stop_source::request_stop(stop_reason reason) {
  if (stopped()) return;
  reason_ = reason;
  // Re-arming the timer in the past cancels every pending wait, and later waits complete at once.
  timer_.expires_at(std::chrono::steady_clock::time_point::min());
}

boost::asio::awaitable<void> stop_source::wait() {
  while (!stopped()) {
    auto [ec] = co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (!ec && deadline_ && std::chrono::steady_clock::now() >= *deadline_) request_stop(stop_reason::deadline);
    // An aborted wait without a stop is this coroutine's own cancellation (the other side of
    // an `||` finished first): end quietly.
    if (ec && !stopped()) co_return;
  }
}

}  // namespace scavenger::core
