#include "scavenger/memory_tuning.hpp"

#include <malloc.h>

namespace scavenger::core {

void keep_large_buffers_out_of_the_heap() noexcept {
  constexpr int threshold = 128 * 1024;  // glibc's initial default, no longer allowed to grow
  ::mallopt(M_MMAP_THRESHOLD, threshold);
}

}  // namespace scavenger::core
