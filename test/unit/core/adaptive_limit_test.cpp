#include "scavenger/adaptive_limit.hpp"

#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/io_context.hpp>

#include "scavenger/token_bucket.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::core {
namespace {

TEST(adaptive_limit, throttling_halves_and_quiet_seconds_add_back) {
  boost::asio::io_context io;
  adaptive_limit limit(io.get_executor(), 32);
  EXPECT_EQ(limit.limit(), 32);
  limit.on_throttle();
  EXPECT_EQ(limit.limit(), 16);
  limit.on_throttle();  // within the halving interval: the same burst of throttles
  EXPECT_EQ(limit.limit(), 16);
  std::this_thread::sleep_for(adaptive_limit::halving_interval + std::chrono::milliseconds(20));
  limit.on_throttle();
  EXPECT_EQ(limit.limit(), 8);
  EXPECT_EQ(limit.lowest(), 8);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(limit.limit(), 10) << "one permit back per throttle-free second";
}

TEST(adaptive_limit, never_below_one) {
  boost::asio::io_context io;
  adaptive_limit limit(io.get_executor(), 2);
  for (int i = 0; i < 3; ++i) {
    limit.on_throttle();
    std::this_thread::sleep_for(adaptive_limit::halving_interval + std::chrono::milliseconds(10));
  }
  EXPECT_EQ(limit.limit(), 1);
  EXPECT_EQ(limit.lowest(), 1);
}

TEST(adaptive_limit, acquire_waits_for_a_release) {
  boost::asio::io_context io;
  stop_source stop(io.get_executor());
  adaptive_limit limit(io.get_executor(), 1);
  EXPECT_TRUE(test::run(io, limit.acquire(stop)));
  EXPECT_EQ(limit.in_flight(), 1);
  stop.request_stop(stop_reason::signal);
  EXPECT_FALSE(test::run(io, limit.acquire(stop))) << "a stopped run gets no permit";
  limit.release();
  EXPECT_EQ(limit.in_flight(), 0);
}

TEST(token_bucket, holds_spending_to_the_rate) {
  boost::asio::io_context io;
  stop_source stop(io.get_executor());
  token_bucket bucket(io.get_executor(), 100);
  const auto started = std::chrono::steady_clock::now();
  // 3 seconds' worth: the first second is burst, the rest must wait for refills.
  for (int i = 0; i < 30; ++i) {
    test::run(io, bucket.acquire(stop));
    bucket.spend(10);
  }
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, std::chrono::milliseconds(1900));
  EXPECT_LT(took, std::chrono::milliseconds(3500));
}

TEST(token_bucket, unlimited_never_waits) {
  boost::asio::io_context io;
  stop_source stop(io.get_executor());
  token_bucket bucket(io.get_executor(), 0);
  EXPECT_FALSE(bucket.limited());
  bucket.spend(1e9);
  test::run(io, bucket.acquire(stop), std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace scavenger::core
