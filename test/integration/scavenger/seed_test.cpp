// `scavenger seed` against both emulators: the table it makes has the original's shape, every
// item, and exactly the survivors the original's rule keeps; an existing table is touched only
// with --recreate.

#include "scavenger/seed.hpp"

#include <gtest/gtest.h>

#include "../dynamodb/emulator_test.hpp"
#include "scavenger/worker_item.hpp"

namespace scavenger::test {
namespace {

class seed_test : public emulator_test {
 protected:
  // A fresh table name that TearDown deletes.
  std::string table_name() {
    auto name = unique_table_name("seed-" + name_of(GetParam()));
    tables_.push_back(name);
    return name;
  }

  boost::system::result<core::seed_report, core::seed_error> seed(const core::seed_settings& settings) {
    return run(io_, core::seed_table(*client_, settings), std::chrono::seconds(240));
  }

  static core::seed_settings settings_for(std::string table, std::int64_t items, std::int64_t survivors) {
    core::seed_settings settings;
    settings.table = std::move(table);
    settings.items = items;
    settings.survivors = survivors;
    settings.now = std::chrono::system_clock::now();
    return settings;
  }

  std::int64_t surviving(const std::string& table, std::chrono::system_clock::time_point now) {
    dynamodb::scan_request request;
    request.table = table;
    std::int64_t kept = 0;
    for (const auto& item : scan_all(request)) kept += core::original_rule_deletes(item, now) ? 0 : 1;
    return kept;
  }
};

TEST_P(seed_test, writes_every_item_and_exactly_the_survivors_survive_the_original_rule) {
  const auto settings = settings_for(table_name(), 2000, 300);
  const auto report = seed(settings);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->written, 2000);
  EXPECT_EQ(report->survivors, 300);
  EXPECT_EQ(report->expected_deletions, 1700);
  EXPECT_GE(report->requests, 80);  // 2000 / 25, plus any re-sends

  auto described = await(client_->describe_table(settings.table));
  ASSERT_TRUE(described) << dynamodb::describe(described.error());
  EXPECT_EQ(described->keys.partition, (dynamodb::key_attribute{"WorkerId", "N"}));
  EXPECT_EQ(described->keys.sort, (dynamodb::key_attribute{"StartTime", "S"}));

  dynamodb::scan_request request;
  request.table = settings.table;
  const auto items = scan_all(request);
  EXPECT_EQ(items.size(), 2000u);
  EXPECT_EQ(surviving(settings.table, settings.now), 300);
}

TEST_P(seed_test, refuses_an_existing_table_without_recreate_and_replaces_it_with) {
  auto settings = settings_for(table_name(), 60, 10);
  ASSERT_TRUE(seed(settings));

  auto refused = seed(settings);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("--recreate"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find(settings.table), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find('\n'), std::string::npos);

  // A different table goes in its place: only the new items remain.
  settings.items = 40;
  settings.survivors = 40;
  settings.recreate = true;
  const auto reseeded = seed(settings);
  ASSERT_TRUE(reseeded) << reseeded.error().message;
  EXPECT_EQ(reseeded->written, 40);
  dynamodb::scan_request request;
  request.table = settings.table;
  EXPECT_EQ(scan_all(request).size(), 40u);
  EXPECT_EQ(surviving(settings.table, settings.now), 40);
}

TEST_P(seed_test, recreate_creates_a_missing_table_and_zero_items_is_an_empty_table) {
  auto settings = settings_for(table_name(), 0, 0);
  settings.recreate = true;
  const auto report = seed(settings);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->written, 0);
  dynamodb::scan_request request;
  request.table = settings.table;
  EXPECT_TRUE(scan_all(request).empty());
}

TEST_P(seed_test, refuses_invalid_counts_before_touching_the_table) {
  auto settings = settings_for(table_name(), 10, 11);
  auto refused = seed(settings);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("--survivors"), std::string::npos) << refused.error().message;
  settings.items = -1;
  settings.survivors = 0;
  EXPECT_FALSE(seed(settings));
  auto described = await(client_->describe_table(settings.table));
  ASSERT_FALSE(described);
  EXPECT_TRUE(described.error().is("ResourceNotFoundException"));
}

SCAVENGER_ON_BOTH_EMULATORS(seed_test);

}  // namespace
}  // namespace scavenger::test
