#pragma once
// Splitting a table's scan segments among independent processes (SPEC §6, --shard I/N): shard I
// of N owns segments [⌊I·T/N⌋, ⌊(I+1)·T/N⌋) of the T = --segments, so N processes, Lambda
// invocations or Kubernetes indexed Jobs cover the table with no shared state and no overlap.
//
// Thread safety: pure functions on plain values.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "scavenger/config_error.hpp"

namespace scavenger::core {

// DynamoDB's bounds on Scan's TotalSegments.
inline constexpr int max_total_segments = 1'000'000;

struct shard {
  int index = 0;  // I, 0-based
  int count = 1;  // N
  friend bool operator==(const shard&, const shard&) = default;
};

// "I/N": decimal digits only, N >= 1 and I < N.
boost::system::result<shard, config_error> parse_shard(std::string_view text);

// "I/N", as parse_shard reads it back.
std::string to_string(shard value);

// Segments [first, last) of a scan.
struct segment_range {
  int first = 0;
  int last = 0;
  int size() const noexcept { return last - first; }
  friend bool operator==(const segment_range&, const segment_range&) = default;
};

// The segments `owner` scans out of `total_segments`. An error when total_segments is outside
// [1, max_total_segments], or when there are more shards than segments (some shard would own nothing, and a
// process that scans nothing is a mistake, not a plan).
boost::system::result<segment_range, config_error> owned_segments(shard owner, int total_segments);

}  // namespace scavenger::core
