// Four processes, --shard i/4, at once: no shared state, no overlap, exact (SPEC §6).
#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

class shards : public scavenger_test {};

TEST_P(shards, four_processes_split_the_table_exactly) {
  constexpr std::int64_t items = 3000;
  constexpr std::int64_t survivors = 400;
  auto table = seed(items, survivors);
  std::vector<std::unique_ptr<child_process>> children;
  for (int shard = 0; shard < 4; ++shard) {
    children.push_back(std::make_unique<child_process>(
        scavenger_binary(),
        with({"run"}, with(original_rule(table), {"--segments", "10", "--shard", std::to_string(shard) + "/4", "--delete-mode", "batch"})),
        environment()));
  }
  std::int64_t deleted = 0;
  std::int64_t scanned = 0;
  for (auto& child : children) {
    auto result = child->wait(std::chrono::minutes(3));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    auto summary = parse_summary(result.out);
    EXPECT_TRUE(buckets_add_up(summary));
    deleted += summary.deleted;
    scanned += summary.scanned;
  }
  EXPECT_EQ(deleted, items - survivors);
  EXPECT_EQ(scanned, items) << "the shards' segments cover the table once";
  expect_exact(table, survivors);
}

SCAVENGER_ON_BOTH_EMULATORS(shards);

}  // namespace
}  // namespace scavenger::test
