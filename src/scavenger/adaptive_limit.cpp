#include "scavenger/adaptive_limit.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scavenger::core {

using namespace boost::asio::experimental::awaitable_operators;

adaptive_limit::adaptive_limit(boost::asio::any_io_executor executor, int maximum)
    : maximum_(std::max(1, maximum)), limit_(maximum_), lowest_(maximum_),
      last_throttle_(std::chrono::steady_clock::now() - std::chrono::hours(1)),
      last_change_(std::chrono::steady_clock::now()), changed_(std::move(executor)) {
  changed_.expires_at(std::chrono::steady_clock::time_point::max());
}

void adaptive_limit::recover() {
  const auto now = std::chrono::steady_clock::now();
  // One more permit for each full second since the later of the last throttle and the last step.
  while (limit_ < maximum_ && now - std::max(last_throttle_, last_change_) >= std::chrono::seconds(1)) {
    ++limit_;
    last_change_ = std::max(last_throttle_, last_change_) + std::chrono::seconds(1);
    wake_waiters();
  }
}

int adaptive_limit::limit() {
  recover();
  return limit_;
}

void adaptive_limit::on_throttle() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_throttle_ >= halving_interval) {
    limit_ = std::max(1, limit_ / 2);
    lowest_ = std::min(lowest_, limit_);
  }
  last_throttle_ = now;
  last_change_ = now;
}

void adaptive_limit::wake_waiters() { changed_.expires_at(std::chrono::steady_clock::time_point::max()); }

boost::asio::awaitable<bool> adaptive_limit::acquire(stop_source& stop) {
  boost::asio::steady_timer recheck(changed_.get_executor());
  while (!stop.stopped()) {
    if (in_flight_ < limit()) {
      ++in_flight_;
      co_return true;
    }
    // Woken by a release; the one-second recheck lets throttle-free time add permits.
    recheck.expires_after(std::chrono::milliseconds(200));
    co_await (changed_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable)) ||
              recheck.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable)) || stop.wait());
  }
  co_return false;
}

void adaptive_limit::release() {
  --in_flight_;
  wake_waiters();
}

}  // namespace scavenger::core
