#include "scavenger/worker_item.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "aws/rfc3339.hpp"
#include "dynamodb/item.hpp"

namespace scavenger::core {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

system_clock::time_point seeding_time() { return aws::parse_rfc3339("2026-11-24T12:34:56.789Z").value(); }

dynamodb::item completed_at(std::string completed, std::string started) {
  return {{"WorkerId", R"({"N":"1"})"},
          {"StartTime", R"({"S":"x"})"},
          {"Completed", std::move(completed)},
          {"StartExecutionTime", R"({"S":")" + std::move(started) + "\"}"}};
}

TEST(original_rule, deletes_completed_items_older_than_48_hours) {
  const auto now = aws::parse_rfc3339("2026-11-24T12:00:00Z").value();
  EXPECT_TRUE(original_rule_deletes(completed_at(R"({"N":"1"})", "2026-11-22T11:59:59Z"), now));
  EXPECT_TRUE(original_rule_deletes(completed_at(R"({"S":"1"})", "2026-11-22T11:59:59Z"), now));
  EXPECT_TRUE(original_rule_deletes(completed_at(R"({"N":"1.0"})", "2026-11-01T00:00:00+02:00"), now));
}

TEST(original_rule, keeps_everything_else) {
  const auto now = aws::parse_rfc3339("2026-11-24T12:00:00Z").value();
  // Exactly 48 h is not "more than 48 h".
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"N":"1"})", "2026-11-22T12:00:00Z"), now));
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"N":"0"})", "2026-11-01T00:00:00Z"), now));
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"S":"0"})", "2026-11-01T00:00:00Z"), now));
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"S":"1.0"})", "2026-11-01T00:00:00Z"), now));
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"BOOL":true})", "2026-11-01T00:00:00Z"), now));
  EXPECT_FALSE(original_rule_deletes(completed_at(R"({"N":"1"})", "yesterday"), now));
  EXPECT_FALSE(original_rule_deletes({{"Completed", R"({"N":"1"})"}}, now));
}

struct census {
  std::int64_t deleted = 0;
  std::int64_t survived = 0;
  std::map<std::pair<worker_item_kind, std::string>, std::int64_t> by_kind_and_encoding;
};

census count(const worker_item_plan& plan) {
  census result;
  std::set<std::string> keys;
  for (std::int64_t index = 0; index < plan.items; ++index) {
    const auto item = plan.make(index);
    EXPECT_EQ(item, plan.make(index)) << "not deterministic at " << index;
    for (const auto& attribute : item) {
      EXPECT_EQ(attribute.value.find("\"\""), std::string::npos) << "an empty value at " << index;
      EXPECT_FALSE(attribute.name.empty());
    }
    for (const auto* name : {"WorkerId", "StartTime", "StartExecutionTime", "EndTime", "PaginationToken", "Completed"}) {
      EXPECT_TRUE(dynamodb::find_attribute(item, name)) << name << " missing at " << index;
    }
    auto key = dynamodb::project(item, worker_table_keys().names());
    EXPECT_TRUE(key);
    if (key) {
      EXPECT_TRUE(keys.insert(dynamodb::to_json(*key)).second) << "duplicate key at " << index;
    }

    const bool deleted = original_rule_deletes(item, plan.now);
    EXPECT_EQ(deleted, plan.kind(index) == worker_item_kind::expired) << "index " << index;
    (deleted ? result.deleted : result.survived) += 1;
    const auto completed = std::string(dynamodb::find_attribute(item, "Completed").value_or(""));
    ++result.by_kind_and_encoding[{plan.kind(index), completed}];
  }
  return result;
}

TEST(seed_items, the_original_measurement_keeps_exactly_the_survivors) {
  const worker_item_plan plan{130000, 3300, seeding_time()};
  const auto result = count(plan);
  EXPECT_EQ(result.survived, 3300);
  EXPECT_EQ(result.deleted, 130000 - 3300);
}

TEST(seed_items, every_kind_of_item_appears_in_both_encodings) {
  const worker_item_plan plan{2000, 300, seeding_time()};
  auto result = count(plan);
  EXPECT_EQ(result.survived, 300);
  const std::string n0 = R"({"N":"0"})", s0 = R"({"S":"0"})", n1 = R"({"N":"1"})", s1 = R"({"S":"1"})";
  for (const auto& [kind, encoding] :
       {std::pair{worker_item_kind::expired, n1}, {worker_item_kind::expired, s1}, {worker_item_kind::completed_young, n1},
        {worker_item_kind::completed_young, s1}, {worker_item_kind::running_old, n0}, {worker_item_kind::running_old, s0},
        {worker_item_kind::running_young, n0}, {worker_item_kind::running_young, s0}}) {
    EXPECT_GT((result.by_kind_and_encoding[{kind, encoding}]), 40) << static_cast<int>(kind) << " " << encoding;
  }
  EXPECT_EQ(result.by_kind_and_encoding.size(), 8u);
}

TEST(seed_items, ages_keep_an_hour_of_margin_around_48_hours) {
  const worker_item_plan plan{3000, 1000, seeding_time()};
  for (std::int64_t index = 0; index < plan.items; ++index) {
    const auto item = plan.make(index);
    // An hour later (or earlier) every item gets the same verdict: a run after seeding can be verified.
    EXPECT_EQ(original_rule_deletes(item, plan.now - hours(1) + std::chrono::seconds(1)),
              original_rule_deletes(item, plan.now + hours(1) - std::chrono::seconds(1)))
        << index;
  }
}

TEST(seed_items, edge_counts) {
  EXPECT_EQ(count(worker_item_plan{0, 0, seeding_time()}).survived, 0);
  EXPECT_EQ(count(worker_item_plan{10, 0, seeding_time()}).survived, 0);
  EXPECT_EQ(count(worker_item_plan{10, 10, seeding_time()}).survived, 10);
  EXPECT_EQ(count(worker_item_plan{7, 3, seeding_time()}).survived, 3);
  EXPECT_EQ(count(worker_item_plan{1, 1, seeding_time()}).survived, 1);
}

TEST(seed_items, start_times_are_rfc3339_and_precede_execution) {
  const worker_item_plan plan{100, 50, seeding_time()};
  for (std::int64_t index = 0; index < plan.items; ++index) {
    const auto item = plan.make(index);
    auto stamp = [&](const char* name) {
      const auto raw = std::string(dynamodb::find_attribute(item, name).value());
      // {"S":"..."}
      return aws::parse_rfc3339(raw.substr(6, raw.size() - 8));
    };
    ASSERT_TRUE(stamp("StartTime")) << index;
    ASSERT_TRUE(stamp("StartExecutionTime")) << index;
    ASSERT_TRUE(stamp("EndTime")) << index;
    EXPECT_LT(*stamp("StartTime"), *stamp("StartExecutionTime"));
    EXPECT_LT(*stamp("StartExecutionTime"), *stamp("EndTime"));
  }
}

}  // namespace
}  // namespace scavenger::core
