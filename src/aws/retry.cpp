#include "aws/retry.hpp"

#include <algorithm>

namespace scavenger::aws {

// "Full jitter" from the AWS Architecture Blog, "Exponential Backoff And Jitter": spreading
// retries uniformly over the whole window de-synchronises clients that a throttling
// response hit at the same moment, which is what lets a throttled table recover.
std::chrono::milliseconds retry_policy::backoff(int attempt, std::mt19937_64& random) const {
  const std::int64_t cap_ms = std::max<std::int64_t>(cap.count(), 0);
  const std::int64_t base_ms = std::clamp<std::int64_t>(base.count(), 0, cap_ms);
  const int doublings = std::max(attempt, 1) - 1;

  // base * 2^doublings, stopping at the cap before it can overflow.
  std::int64_t ceiling = base_ms;
  for (int i = 0; i < doublings && ceiling < cap_ms && ceiling > 0; ++i) {
    ceiling = ceiling > cap_ms / 2 ? cap_ms : ceiling * 2;
  }
  ceiling = std::min(ceiling, cap_ms);

  std::uniform_int_distribution<std::int64_t> uniform(0, ceiling);
  return std::chrono::milliseconds{uniform(random)};
}

}  // namespace scavenger::aws
