#pragma once
// One retry policy for every operation (SPEC §5): capped exponential backoff with full jitter.

#include <chrono>
#include <cstdint>
#include <random>

namespace scavenger::aws {

struct retry_policy {
  std::chrono::milliseconds base{25};
  std::chrono::milliseconds cap{20'000};
  int max_attempts = 10;  // attempts in all, the first included

  // Delay before attempt `attempt + 1`, given `attempt` (>= 1) attempts already failed:
  // uniform in [0, min(cap, base * 2^(attempt-1))].
  std::chrono::milliseconds backoff(int attempt, std::mt19937_64& random) const;
};

}  // namespace scavenger::aws
