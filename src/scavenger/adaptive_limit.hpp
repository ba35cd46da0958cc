#pragma once
// Adaptive concurrency for the deleters (SPEC §5): throttling halves the delete requests allowed
// in flight (not below 1); each throttle-free second adds one back, up to --deleters.
//
// Thread safety: none; use from the io_context thread.

#include <chrono>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "scavenger/stop_source.hpp"

namespace scavenger::core {

class adaptive_limit {
 public:
  adaptive_limit(boost::asio::any_io_executor executor, int maximum);

  // Waits for a permit to send one request. False when the run stopped first (no permit held).
  boost::asio::awaitable<bool> acquire(stop_source& stop);
  void release();

  // A throttled answer. Halving happens at most once per `halving_interval`: the answers to
  // requests sent before the last halving say nothing about the new limit.
  void on_throttle();

  int limit();  // applies the throttle-free seconds first
  int lowest() const noexcept { return lowest_; }
  int in_flight() const noexcept { return in_flight_; }

  static constexpr std::chrono::milliseconds halving_interval{250};

 private:
  void recover();
  void wake_waiters();

  int maximum_;
  int limit_;
  int lowest_;
  int in_flight_ = 0;
  std::chrono::steady_clock::time_point last_throttle_;
  std::chrono::steady_clock::time_point last_change_;
  boost::asio::steady_timer changed_;  // waiters sleep on it; re-arming wakes them all
};

}  // namespace scavenger::core
