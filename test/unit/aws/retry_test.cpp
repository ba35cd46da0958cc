// The retry policy's backoff (SPEC §5): capped exponential backoff with full jitter.

#include "aws/retry.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace scavenger::aws {
namespace {

using std::chrono::milliseconds;

constexpr int draws = 2000;

// The largest delay allowed after `attempt` failures: min(cap, base * 2^(attempt-1)).
std::int64_t ceiling_of(const retry_policy& policy, int attempt) {
  std::int64_t ceiling = policy.base.count();
  for (int i = 1; i < attempt && ceiling < policy.cap.count(); ++i) ceiling *= 2;
  return std::min(ceiling, policy.cap.count());
}

TEST(retry_policy, defaults_follow_the_spec) {
  const retry_policy policy;
  EXPECT_EQ(policy.base, milliseconds{25});
  EXPECT_EQ(policy.cap, milliseconds{20'000});
  EXPECT_EQ(policy.max_attempts, 10);
}

TEST(retry_policy, delays_stay_within_the_window_for_attempts_1_to_60) {
  const retry_policy policy;
  std::mt19937_64 random{42};
  for (int attempt = 1; attempt <= 60; ++attempt) {
    const std::int64_t ceiling = ceiling_of(policy, attempt);
    for (int i = 0; i < draws; ++i) {
      const milliseconds delay = policy.backoff(attempt, random);
      ASSERT_GE(delay.count(), 0) << "attempt " << attempt;
      ASSERT_LE(delay.count(), ceiling) << "attempt " << attempt;
    }
  }
}

TEST(retry_policy, the_window_doubles_until_the_cap) {
  const retry_policy policy;
  std::mt19937_64 random{7};
  // 25, 50, 100, ... ms: the largest of many draws comes close to each window's top.
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const std::int64_t ceiling = ceiling_of(policy, attempt);
    std::int64_t largest = 0;
    for (int i = 0; i < draws; ++i) largest = std::max(largest, policy.backoff(attempt, random).count());
    EXPECT_GE(largest, ceiling * 95 / 100) << "attempt " << attempt << ", window " << ceiling;
  }
  EXPECT_EQ(ceiling_of(policy, 10), 12'800);
  EXPECT_EQ(ceiling_of(policy, 11), 20'000);
}

TEST(retry_policy, the_cap_is_reached_and_never_exceeded) {
  const retry_policy policy;
  std::mt19937_64 random{11};
  for (const int attempt : {11, 20, 40, 64, 65, 1000, std::numeric_limits<int>::max()}) {
    std::int64_t largest = 0;
    for (int i = 0; i < draws; ++i) largest = std::max(largest, policy.backoff(attempt, random).count());
    EXPECT_LE(largest, policy.cap.count()) << "attempt " << attempt;
    EXPECT_GE(largest, policy.cap.count() * 99 / 100) << "attempt " << attempt;
  }
}

TEST(retry_policy, a_huge_base_does_not_overflow) {
  retry_policy policy;
  policy.base = milliseconds{std::numeric_limits<std::int64_t>::max() / 3};
  policy.cap = milliseconds{std::numeric_limits<std::int64_t>::max()};
  std::mt19937_64 random{3};
  for (int attempt = 1; attempt <= 60; ++attempt) {
    const milliseconds delay = policy.backoff(attempt, random);
    ASSERT_GE(delay.count(), 0) << "attempt " << attempt;
  }
}

TEST(retry_policy, full_jitter_spreads_over_the_whole_window) {
  const retry_policy policy;
  std::mt19937_64 random{2024};
  constexpr int attempt = 5;  // window [0, 400] ms
  std::vector<std::int64_t> delays;
  for (int i = 0; i < draws; ++i) delays.push_back(policy.backoff(attempt, random).count());
  const auto [smallest, largest] = std::minmax_element(delays.begin(), delays.end());
  EXPECT_LE(*smallest, 20);
  EXPECT_GE(*largest, 380);
  EXPECT_GT(std::set<std::int64_t>(delays.begin(), delays.end()).size(), 300u);
  double sum = 0;
  for (const std::int64_t delay : delays) sum += static_cast<double>(delay);
  EXPECT_NEAR(sum / draws, 200.0, 15.0);  // uniform on [0, 400]: mean 200, standard error ~2.6
  const auto below_half = std::count_if(delays.begin(), delays.end(), [](std::int64_t d) { return d < 200; });
  EXPECT_NEAR(static_cast<double>(below_half) / draws, 0.5, 0.05);
}

TEST(retry_policy, a_seeded_engine_gives_the_same_delays) {
  const retry_policy policy;
  std::mt19937_64 first{99};
  std::mt19937_64 second{99};
  std::mt19937_64 other{100};
  std::vector<std::int64_t> a, b, c;
  for (int attempt = 1; attempt <= 30; ++attempt) {
    a.push_back(policy.backoff(attempt, first).count());
    b.push_back(policy.backoff(attempt, second).count());
    c.push_back(policy.backoff(attempt, other).count());
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(retry_policy, attempts_below_one_use_the_base_window) {
  const retry_policy policy;
  std::mt19937_64 random{5};
  for (const int attempt : {0, -1, std::numeric_limits<int>::min()}) {
    for (int i = 0; i < 200; ++i) ASSERT_LE(policy.backoff(attempt, random), policy.base) << "attempt " << attempt;
  }
}

TEST(retry_policy, a_zero_cap_means_no_delay) {
  retry_policy policy;
  policy.cap = milliseconds{0};
  std::mt19937_64 random{1};
  for (int attempt = 1; attempt <= 5; ++attempt) EXPECT_EQ(policy.backoff(attempt, random), milliseconds{0});
}

}  // namespace
}  // namespace scavenger::aws
