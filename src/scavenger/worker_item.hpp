#pragma once
// Items of the original Go scavenger's worker table (SPEC §1 "Where it comes from"), made up
// deterministically for `scavenger seed`, and the original's deletion rule, by which a seeded
// table and a run over it are verified.
//
// Thread safety: pure functions.

#include <chrono>
#include <cstdint>

#include "dynamodb/item.hpp"
#include "dynamodb/operations.hpp"

namespace scavenger::core {

// The original deletes a completed item whose StartExecutionTime is more than this before now.
inline constexpr std::chrono::hours original_age_limit{48};

// The original's key schema: hash key WorkerId (N), range key StartTime (S).
dynamodb::key_schema worker_table_keys();

// The original's rule on a full item: Completed is {"N":"1"} (numerically) or {"S":"1"}, and
// now − StartExecutionTime > 48 h. An item without a parsable StartExecutionTime is kept (the
// original would have died on it; nothing of it would have been deleted).
bool original_rule_deletes(const dynamodb::item& item, std::chrono::system_clock::time_point now);

// What a seeded item is, by the original's rule at the seeding's `now`.
enum class worker_item_kind {
  expired,          // completed, 49 h to 30 days old: deleted
  running_old,      // not completed, 49 h to 30 days old: survives
  running_young,    // not completed, 1 h to 47 h old: survives
  completed_young,  // completed, 1 h to 47 h old: survives
};

// The layout of a seeded table of `items` items, `survivors` of which survive the rule
// (0 <= survivors <= items). Survivors are spread evenly over the indexes and cycle through
// every surviving kind and both encodings of Completed; expired items alternate encodings.
struct worker_item_plan {
  std::int64_t items = 0;
  std::int64_t survivors = 0;
  std::chrono::system_clock::time_point now;

  bool survives(std::int64_t index) const noexcept;
  worker_item_kind kind(std::int64_t index) const noexcept;
  // Item `index` (0 <= index < items). The same arguments always give the same item; keys
  // (WorkerId = index / 4 + 1, StartTime) are unique across indexes; no value is empty.
  dynamodb::item make(std::int64_t index) const;
};

}  // namespace scavenger::core
