// The mission: exactly the items that should go are deleted, in both delete modes and at every
// concurrency, and the summary's buckets add up to the ground truth (SPEC §2, §4).
#include <filesystem>
#include <fstream>

#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 2000;
constexpr std::int64_t survivors = 300;

struct concurrency {
  const char* mode;
  int readers;
  int deleters;
};

class exactness : public scavenger_test {
 protected:
  void run_and_check(const concurrency& setting) {
    SCOPED_TRACE(std::string(setting.mode) + " readers=" + std::to_string(setting.readers) +
                 " deleters=" + std::to_string(setting.deleters));
    auto table = seed(items, survivors);
    // Ground truth before the run: what the filter matches and what the age rule keeps of it.
    std::int64_t completed = 0;
    std::int64_t completed_young = 0;
    for (const auto& entry : items_of(table)) {
      auto value = dynamodb::find_attribute(entry, "Completed");
      const bool is_completed = value && (*value == R"({"N":"1"})" || *value == R"({"S":"1"})");
      completed += is_completed ? 1 : 0;
      completed_young += is_completed && !core::original_rule_deletes(entry, seeded_at_) ? 1 : 0;
    }

    auto result = scavenger("run", with(original_rule(table), {"--segments", std::to_string(std::max(setting.readers, 4)),
                                                               "--readers", std::to_string(setting.readers),
                                                               "--deleters", std::to_string(setting.deleters),
                                                               "--delete-mode", setting.mode}));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    auto summary = parse_summary(result.out);
    EXPECT_TRUE(summary.complete);
    EXPECT_TRUE(buckets_add_up(summary)) << result.out;
    EXPECT_EQ(summary.scanned, items);
    EXPECT_EQ(summary.matched, completed);
    EXPECT_EQ(summary.skipped_young, completed_young);
    EXPECT_EQ(summary.deleted, items - survivors);
    EXPECT_EQ(summary.skipped_changed + summary.failed + summary.pending + summary.skipped_invalid, 0);
    EXPECT_EQ(summary.cursors, 0u);
    expect_exact(table, survivors);
  }
};

TEST_P(exactness, conditional_with_one_reader_and_one_deleter) { run_and_check({"conditional", 1, 1}); }
TEST_P(exactness, conditional_with_ten_readers_and_ten_deleters) { run_and_check({"conditional", 10, 10}); }
TEST_P(exactness, conditional_with_a_hundred_readers_and_deleters) { run_and_check({"conditional", 100, 100}); }
TEST_P(exactness, batch_with_one_reader_and_one_deleter) { run_and_check({"batch", 1, 1}); }
TEST_P(exactness, batch_with_ten_readers_and_ten_deleters) { run_and_check({"batch", 10, 10}); }
TEST_P(exactness, batch_with_a_hundred_readers_and_deleters) { run_and_check({"batch", 100, 100}); }

TEST_P(exactness, plan_deletes_nothing_and_predicts_the_run) {
  auto table = seed(items, survivors);
  auto planned = scavenger("plan", original_rule(table));
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  auto plan = parse_summary(planned.out);
  EXPECT_TRUE(buckets_add_up(plan)) << planned.out;
  EXPECT_EQ(plan.would_delete, items - survivors);
  EXPECT_EQ(plan.deleted, 0);
  EXPECT_EQ(static_cast<std::int64_t>(items_of(table).size()), items) << "plan deleted something";

  auto ran = scavenger("run", with(original_rule(table), {"--delete-mode", "batch"}));
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  auto run = parse_summary(ran.out);
  EXPECT_EQ(run.matched, plan.matched);
  EXPECT_EQ(run.deleted, plan.would_delete);
  expect_exact(table, survivors);
}

TEST_P(exactness, items_with_a_bad_age_attribute_are_counted_not_fatal) {
  auto table = seed(200, 50);
  const char* bad_ages[] = {R"({"N":"1700000000"})", R"({"S":"yesterday"})", R"({"S":"2026-13-01T00:00:00Z"})",
                            R"({"NULL":true})", nullptr};
  int index = 0;
  for (const char* bad : bad_ages) {
    dynamodb::item entry{{"WorkerId", R"({"N":")" + std::to_string(900000 + index) + R"("})"},
                         {"StartTime", R"({"S":"2026-01-01T00:00:00Z"})"},
                         {"Completed", R"({"N":"1"})"}};
    if (bad != nullptr) entry.push_back({"StartExecutionTime", bad});  // nullptr: the attribute is missing
    ++index;
    ASSERT_TRUE(await(client_->put_item({table, entry})));
  }
  auto result = scavenger("run", original_rule(table));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto summary = parse_summary(result.out);
  EXPECT_EQ(summary.skipped_invalid, 5);
  EXPECT_EQ(summary.deleted, 150);
  EXPECT_TRUE(buckets_add_up(summary));
  EXPECT_EQ(static_cast<std::int64_t>(items_of(table).size()), 55) << "invalid items must stay";
}

TEST_P(exactness, the_server_age_filter_changes_the_traffic_not_the_outcome) {
  auto table = seed(items, survivors);
  auto result = scavenger("run", with(original_rule(table), {"--server-age-filter", "--delete-mode", "batch"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto summary = parse_summary(result.out);
  EXPECT_TRUE(buckets_add_up(summary)) << result.out;
  EXPECT_EQ(summary.deleted, items - survivors);
  expect_exact(table, survivors);
}

TEST_P(exactness, the_deleted_log_lists_every_deleted_key) {
  auto table = seed(500, 100);
  const auto log_path = std::filesystem::temp_directory_path() / (unique_table_name("deleted") + ".jsonl");
  auto result = scavenger("run", with(original_rule(table), {"--deleted-log", log_path.string(), "--delete-mode", "batch"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::ifstream log(log_path);
  std::int64_t lines = 0;
  simdjson::dom::parser parser;
  for (std::string line; std::getline(log, line); ++lines) {
    simdjson::dom::element key;
    ASSERT_FALSE(parser.parse(line).get(key)) << line;
    EXPECT_TRUE(key["WorkerId"].is_object() && key["StartTime"].is_object()) << line;
  }
  std::filesystem::remove(log_path);
  EXPECT_EQ(lines, 400);
  EXPECT_EQ(parse_summary(result.out).deleted, 400);
}

TEST_P(exactness, text_output_is_for_people) {
  auto table = seed(100, 10);
  auto result = scavenger("plan", with(original_rule(table), {"--output", "text"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("would_delete"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("90"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find('{'), std::string::npos) << "not JSON: " << result.out;
}

SCAVENGER_ON_BOTH_EMULATORS(exactness);

}  // namespace
}  // namespace scavenger::test
