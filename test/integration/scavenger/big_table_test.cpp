// The original's table at full size, once, in the suite: 130,000 items, 3,300 survivors, batch
// mode on DynamoDB Local. (Timed comparisons belong to bench/; this checks exactness at scale.)
#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

class big_table : public scavenger_test {};

TEST_P(big_table, the_originals_130000_items_end_with_exactly_3300) {
  constexpr std::int64_t items = 130000;
  constexpr std::int64_t survivors = 3300;
  auto table = seed(items, survivors);
  auto result = scavenger("run", with(original_rule(table), {"--delete-mode", "batch", "--segments", "10", "--deleters", "32"}),
                          std::chrono::minutes(5));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto summary = parse_summary(result.out);
  EXPECT_TRUE(summary.complete);
  EXPECT_TRUE(buckets_add_up(summary)) << result.out;
  EXPECT_EQ(summary.scanned, items);
  EXPECT_EQ(summary.deleted, items - survivors);
  EXPECT_EQ(summary.failed + summary.pending + summary.skipped_changed + summary.skipped_invalid, 0);
  expect_exact(table, survivors);
}

INSTANTIATE_TEST_SUITE_P(dynamodb_local, big_table, ::testing::Values(emulator::dynamodb_local), emulator_param_name);

}  // namespace
}  // namespace scavenger::test
