#pragma once
// A per-second capacity budget (--max-rcu, --max-wcu; SPEC §5). DynamoDB reports what a request
// consumed only in its response, so the bucket may go into debt; a request waits until the
// bucket is out of debt. Callers with many requests in flight spend an estimate when they send
// and the difference when the answer comes. Over any window of several seconds the units spent
// stay within the rate (plus one second's burst and the estimates' error).
//
// Thread safety: none; use from the io_context thread.

#include <chrono>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "scavenger/stop_source.hpp"

namespace scavenger::core {

class token_bucket {
 public:
  // `units_per_second` <= 0: unlimited.
  token_bucket(boost::asio::any_io_executor executor, double units_per_second);

  bool limited() const noexcept { return rate_ > 0; }
  // Waits until a request may be sent; returns early when the run stops.
  boost::asio::awaitable<void> acquire(stop_source& stop);
  void spend(double units);
  double available();  // tokens now (negative: debt)

 private:
  void refill();
  boost::asio::any_io_executor executor_;
  double rate_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_at_;
};

}  // namespace scavenger::core
