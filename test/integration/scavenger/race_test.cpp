// SPEC §4 "Safe against concurrent writers": a conditional run leaves alone every item that a
// writer changed between the Scan that returned it and its DeleteItem. The proxy's `after`
// hook changes the items of a known set S right after the Scan response carrying them was
// produced and before the scavenger sees it, so each of their deletes certainly meets the
// changed item. Half of S stops being completed, the other half is restarted (fresh
// StartExecutionTime): both must count as skipped_changed and stay in the table.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "aws/rfc3339.hpp"
#include "dynamodb/protocol.hpp"
#include "scavenger_test.hpp"
#include "support/dynamodb_proxy.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 1000;
constexpr std::int64_t survivors = 100;
constexpr std::size_t changed_count = 50;

class race_test : public scavenger_test {
 protected:
  static std::string key_of(const dynamodb::item& entry) {
    auto key = dynamodb::project(entry, {"WorkerId", "StartTime"});
    if (!key) throw std::runtime_error("an item without its key: " + dynamodb::to_json(entry));
    return dynamodb::to_json(*key);
  }

  static dynamodb::item with_value(dynamodb::item entry, std::string_view name, std::string value) {
    for (auto& attribute : entry) {
      if (attribute.name == name) attribute.value = value;
    }
    return entry;
  }

  // S: `changed_count` items the rule deletes, spread over the whole table (so over many
  // pages and segments), each with the changed version a concurrent writer puts: even ones no
  // longer completed, odd ones restarted now.
  std::map<std::string, dynamodb::item> choose_changes(const std::string& table) {
    std::vector<dynamodb::item> doomed;
    for (auto& entry : items_of(table)) {
      if (core::original_rule_deletes(entry, seeded_at_)) doomed.push_back(std::move(entry));
    }
    EXPECT_EQ(static_cast<std::int64_t>(doomed.size()), items - survivors);
    const auto now = aws::format_rfc3339_utc(std::chrono::system_clock::now());
    std::map<std::string, dynamodb::item> changes;
    const std::size_t step = doomed.size() / changed_count;
    for (std::size_t i = 0; i < changed_count; ++i) {
      const auto& original = doomed[i * step];
      changes[key_of(original)] = i % 2 == 0 ? with_value(original, "Completed", R"({"N":"0"})")
                                             : with_value(original, "StartExecutionTime", R"({"S":")" + now + R"("})");
    }
    return changes;
  }

  // Conditional mode through `endpoint`, many small pages.
  std::vector<std::string> run_arguments(const std::string& table, const std::string& endpoint) const {
    return with(original_rule(table, endpoint), {"--page-size", "50", "--segments", "4", "--delete-mode", "conditional"});
  }

  // Every item of S is in the table, exactly as changed.
  void expect_changed_items_kept(const std::string& table, const std::map<std::string, dynamodb::item>& changes) {
    std::map<std::string, dynamodb::item> remaining;
    for (auto& entry : items_of(table)) remaining[key_of(entry)] = std::move(entry);
    for (const auto& [key, changed] : changes) {
      const auto found = remaining.find(key);
      ASSERT_NE(found, remaining.end()) << "deleted although changed: " << key;
      for (const auto& attribute : changed) {
        EXPECT_EQ(dynamodb::find_attribute(found->second, attribute.name), std::optional<std::string_view>(attribute.value))
            << key << " " << attribute.name;
      }
    }
  }
};

TEST_P(race_test, items_changed_between_scan_and_delete_are_skipped_changed_and_kept) {
  const auto table = seed(items, survivors);
  const auto changes = choose_changes(table);

  dynamodb_proxy proxy(url_of(GetParam()), 20261126);
  std::mutex written_mutex;
  std::set<std::string> written;  // keys of S already changed (each is scanned once; be sure)
  std::atomic<int> put_failures{0};
  std::atomic<int> scans_parsed{0};
  proxy.set_after([&](const proxied_call& call, const http::response& upstream) {
    if (call.operation != "Scan" || upstream.status != 200) return;
    std::string body = upstream.body;
    auto page = dynamodb::protocol::parse_scan_page(body);
    if (!page) {
      ++put_failures;
      return;
    }
    ++scans_parsed;
    for (const auto& entry : page->items) {
      const auto key = key_of(entry);
      const auto change = changes.find(key);
      if (change == changes.end()) continue;
      {
        std::lock_guard lock(written_mutex);
        if (!written.insert(key).second) continue;
      }
      auto& session = proxy.upstream();
      dynamodb::put_item_request put{table, change->second};
      auto done = run(session.io, session.dynamodb->put_item(std::move(put)));
      if (!done) ++put_failures;
    }
  });

  const auto result = scavenger("run", run_arguments(table, proxy.url()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = parse_summary(result.out);
  EXPECT_EQ(put_failures.load(), 0);
  EXPECT_GE(scans_parsed.load(), static_cast<int>((items - survivors) / 50));  // many pages
  {
    // The proxy's worker threads wrote it; the child's exit orders nothing for this process.
    std::lock_guard lock(written_mutex);
    EXPECT_EQ(written.size(), changed_count);
  }
  EXPECT_EQ(summary.skipped_changed, static_cast<std::int64_t>(changed_count));
  EXPECT_EQ(summary.deleted, items - survivors - static_cast<std::int64_t>(changed_count));
  EXPECT_EQ(summary.failed, 0);
  EXPECT_TRUE(summary.complete);
  EXPECT_TRUE(buckets_add_up(summary)) << result.out;
  // The changed items no longer meet the rule: exactly the survivors and S remain.
  expect_exact(table, survivors + static_cast<std::int64_t>(changed_count));
  expect_changed_items_kept(table, changes);
}

TEST_P(race_test, items_changed_before_the_run_are_never_candidates) {
  const auto table = seed(items, survivors);
  const auto changes = choose_changes(table);
  for (const auto& [key, changed] : changes) {
    dynamodb::put_item_request put{table, changed};
    auto done = await(client_->put_item(std::move(put)));
    ASSERT_TRUE(done) << dynamodb::describe(done.error());
  }

  const auto result = scavenger("run", run_arguments(table, url_of(GetParam())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = parse_summary(result.out);
  // The half no longer completed fails the filter (not matched); the restarted half is young.
  EXPECT_EQ(summary.skipped_changed, 0);
  EXPECT_GE(summary.skipped_young, static_cast<std::int64_t>(changed_count / 2));
  EXPECT_EQ(summary.deleted, items - survivors - static_cast<std::int64_t>(changed_count));
  EXPECT_EQ(summary.failed, 0);
  EXPECT_TRUE(buckets_add_up(summary)) << result.out;
  expect_exact(table, survivors + static_cast<std::int64_t>(changed_count));
  expect_changed_items_kept(table, changes);
}

SCAVENGER_ON_BOTH_EMULATORS(race_test);

}  // namespace
}  // namespace scavenger::test
