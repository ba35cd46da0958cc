#include "scavenger/candidate_backlog.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scavenger::core {

using namespace boost::asio::experimental::awaitable_operators;

candidate_backlog::candidate_backlog(boost::asio::any_io_executor executor, std::int64_t floor)
    : floor_(std::max<std::int64_t>(1, floor)), changed_(std::move(executor)) {
  changed_.expires_at(std::chrono::steady_clock::time_point::max());
}

bool candidate_backlog::may_start() const noexcept {
  if (outstanding_ == 0) return true;  // never blocks the only page: progress is guaranteed
  if (largest_page_ < 0) return false;
  return outstanding_ <= std::max(largest_page_, floor_);
}

boost::asio::awaitable<std::int64_t> candidate_backlog::reserve(stop_source& stop) {
  ++waiting_;
  while (!stop.stopped() && !may_start()) {
    co_await (changed_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable)) || stop.wait());
  }
  --waiting_;
  if (stop.stopped()) co_return -1;
  const std::int64_t reserved = std::max<std::int64_t>(largest_page_, 1);
  outstanding_ += reserved;
  co_return reserved;
}

void candidate_backlog::found(std::int64_t reserved, std::int64_t candidates) {
  largest_page_ = std::max(largest_page_, candidates);
  outstanding_ += candidates - reserved;
  wake_if_ready();
}

void candidate_backlog::taken(std::int64_t count) {
  outstanding_ -= count;
  wake_if_ready();
}

void candidate_backlog::wake_if_ready() {
  if (waiting_ > 0 && may_start()) changed_.expires_at(std::chrono::steady_clock::time_point::max());
}

}  // namespace scavenger::core
