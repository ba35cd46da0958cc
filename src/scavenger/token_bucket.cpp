#include "scavenger/token_bucket.hpp"

#include <algorithm>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace scavenger::core {

using namespace boost::asio::experimental::awaitable_operators;

token_bucket::token_bucket(boost::asio::any_io_executor executor, double units_per_second)
    : executor_(std::move(executor)), rate_(units_per_second), tokens_(units_per_second),
      refilled_at_(std::chrono::steady_clock::now()) {}

void token_bucket::refill() {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - refilled_at_).count();
  refilled_at_ = now;
  tokens_ = std::min(rate_, tokens_ + elapsed * rate_);  // at most one second of burst
}

double token_bucket::available() {
  refill();
  return tokens_;
}

void token_bucket::spend(double units) {
  if (!limited()) return;
  refill();
  tokens_ -= units;
}

boost::asio::awaitable<void> token_bucket::acquire(stop_source& stop) {
  if (!limited()) co_return;
  boost::asio::steady_timer pause(executor_);
  while (!stop.stopped() && available() <= 0) {
    // Sleep until the debt is repaid: -tokens / rate seconds, at least a millisecond.
    const auto wait = std::chrono::duration<double>(std::max(0.001, -tokens_ / rate_ + 0.001));
    pause.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait));
    co_await (pause.async_wait(boost::asio::use_awaitable) || stop.wait());
  }
}

}  // namespace scavenger::core
