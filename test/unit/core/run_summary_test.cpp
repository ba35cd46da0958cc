#include "scavenger/run_summary.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "aws/rfc3339.hpp"
#include "json_object_assertions.hpp"

namespace scavenger::core {
namespace {

run_summary sample() {
  run_summary s;
  s.version = "1.0.0";
  s.table = "Workers";
  s.endpoint = "http://127.0.0.1:8000";
  s.command = run_command::run;
  s.delete_mode = "conditional";
  s.cutoff = aws::parse_rfc3339("2026-11-24T12:00:00Z");
  s.shard = {0, 1};
  s.total_segments = 10;
  s.complete = false;
  s.counts = {.scanned = 130000, .matched = 126700, .deleted = 126000, .skipped_young = 300,
              .skipped_invalid = 100, .skipped_changed = 200, .failed = 50, .pending = 50, .would_delete = 0};
  s.errors.add("ValidationException", "The provided key element does not match the schema");
  s.errors.add("ValidationException", "a second message, not kept");
  s.errors.add("InternalServerError", "Internal server error");
  s.requests = {.describe_table = 1, .scan = 40, .delete_item = 126300, .batch_write_item = 0, .get_item = 2,
                .retries = 7, .throttled = 3};
  s.consumed_rcu = 1234.5;
  s.consumed_wcu = 126700;
  s.deleters = {.limit = 32, .lowest = 8, .final = 30};
  s.duration = std::chrono::duration<double>(12.3000004);
  s.cursors = {{0, R"({"WorkerId":{"N":"12345678901234567890.123"}})", false}, {1, "", true}, {2, "", false}};
  return s;
}

TEST(run_summary_json, is_exactly_the_spec_layout) {
  EXPECT_EQ(to_json(sample()),
            R"({"version":"1.0.0","table":"Workers","endpoint":"http://127.0.0.1:8000","command":"run",)"
            R"("delete_mode":"conditional","cutoff":"2026-11-24T12:00:00Z","shard":"0/1","total_segments":10,)"
            R"("complete":false,)"
            R"("counts":{"scanned":130000,"matched":126700,"deleted":126000,"skipped_young":300,)"
            R"("skipped_invalid":100,"skipped_changed":200,"failed":50,"pending":50,"would_delete":0},)"
            R"("errors":{"InternalServerError":{"count":1,"sample":"Internal server error"},)"
            R"("ValidationException":{"count":2,"sample":"The provided key element does not match the schema"}},)"
            R"("requests":{"describe_table":1,"scan":40,"delete_item":126300,"batch_write_item":0,"get_item":2,)"
            R"("retries":7,"throttled":3},)"
            R"("consumed":{"rcu":1234.5,"wcu":126700},"deleters":{"limit":32,"lowest":8,"final":30},"duration_s":12.3,)"
            R"("cursors":[{"segment":0,"start_key":{"WorkerId":{"N":"12345678901234567890.123"}},"done":false},)"
            R"({"segment":1,"start_key":null,"done":true},{"segment":2,"start_key":null,"done":false}]})");
}

TEST(run_summary_json, parses_back_with_fields_in_order) {
  const auto text = to_json(sample());
  ASSERT_TRUE(testing::is_json_object(text));
  simdjson::dom::parser parser;
  const simdjson::dom::object root = parser.parse(text).get_object();
  std::vector<std::string_view> keys;
  for (const auto field : root) keys.push_back(field.key);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"version", "table", "endpoint", "command", "delete_mode", "cutoff",
                                                 "shard", "total_segments", "complete", "counts", "errors",
                                                 "requests", "consumed", "deleters", "duration_s",
                                                 "cursors"}));
  std::vector<std::string_view> count_keys;
  for (const auto field : root["counts"].get_object()) count_keys.push_back(field.key);
  EXPECT_EQ(count_keys, (std::vector<std::string_view>{"scanned", "matched", "deleted", "skipped_young",
                                                       "skipped_invalid", "skipped_changed", "failed", "pending",
                                                       "would_delete"}));
  EXPECT_EQ(int64_t(root["counts"]["matched"]), 126700);
  EXPECT_EQ(std::string_view(root["errors"]["ValidationException"]["sample"]),
            "The provided key element does not match the schema");
  EXPECT_EQ(int64_t(root["requests"]["get_item"]), 2);
  EXPECT_DOUBLE_EQ(double(root["consumed"]["rcu"]), 1234.5);
  EXPECT_DOUBLE_EQ(double(root["duration_s"]), 12.3);
  EXPECT_FALSE(bool(root["complete"]));
  // The big number key survives as its digits, not a double.
  EXPECT_NE(text.find("12345678901234567890.123"), std::string::npos);
  EXPECT_EQ(simdjson::dom::array(root["cursors"]).size(), 3u);
}

TEST(run_summary_json, writes_null_without_a_cutoff_and_empty_errors_and_cursors) {
  run_summary s;
  s.command = run_command::plan;
  s.complete = true;
  const auto text = to_json(s);
  ASSERT_TRUE(testing::is_json_object(text));
  EXPECT_NE(text.find(R"("command":"plan")"), std::string::npos);
  EXPECT_NE(text.find(R"("cutoff":null)"), std::string::npos);
  EXPECT_NE(text.find(R"("errors":{})"), std::string::npos);
  EXPECT_NE(text.find(R"("cursors":[])"), std::string::npos);
  EXPECT_EQ(text.find(R"("deleters")"), std::string::npos) << "plan deletes nothing";
}

TEST(run_summary_text, shows_the_counts_with_separators) {
  const auto text = to_text(sample());
  for (const char* expected : {"table               Workers\n", "command             run (conditional)\n",
                               "cutoff              2026-11-24T12:00:00Z\n", "shard               0/1 of 10 segments\n",
                               "complete            no\n", "scanned             130,000\n",
                               "matched             126,700\n", "deleted             126,000\n",
                               "skipped_young       300\n", "pending             50\n",
                               "delete_item         126,300\n", "consumed            1,234.5 RCU, 126,700.0 WCU\n",
                               "duration            12.3 s\n",
                               "deleters            30 of 32 in flight at the end, lowest 8\n", "error ValidationException 2 (e.g. The provided key",
                               R"(cursor 0            {"WorkerId":{"N":"12345678901234567890.123"}})",
                               "cursor 1            done\n", "cursor 2            from the start\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << text;
  }
}

TEST(run_summary_text, plan_shows_would_delete) {
  auto s = sample();
  s.command = run_command::plan;
  s.counts.would_delete = 1'234'567;
  const auto text = to_text(s);
  EXPECT_NE(text.find("would_delete        1,234,567\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("pending"), std::string::npos) << text;
}

TEST(with_thousands_separators, groups_digits_by_three) {
  EXPECT_EQ(with_thousands_separators(0), "0");
  EXPECT_EQ(with_thousands_separators(999), "999");
  EXPECT_EQ(with_thousands_separators(1000), "1,000");
  EXPECT_EQ(with_thousands_separators(1234567), "1,234,567");
  EXPECT_EQ(with_thousands_separators(-1234), "-1,234");
  EXPECT_EQ(with_thousands_separators(INT64_MIN), "-9,223,372,036,854,775,808");
}

TEST(buckets_add_up, run_identity) {
  run_counts c{.scanned = 10, .matched = 9, .deleted = 4, .skipped_young = 1, .skipped_invalid = 1,
               .skipped_changed = 1, .failed = 1, .pending = 1, .would_delete = 0};
  EXPECT_TRUE(buckets_add_up(c, run_command::run));
  c.pending = 0;  // an item lost
  EXPECT_FALSE(buckets_add_up(c, run_command::run));
  c.pending = 2;  // an item counted twice
  EXPECT_FALSE(buckets_add_up(c, run_command::run));
  c.pending = 1;
  c.would_delete = 1;  // a plan-only bucket in a run
  EXPECT_FALSE(buckets_add_up(c, run_command::run));
  EXPECT_TRUE(buckets_add_up(run_counts{}, run_command::run));
}

TEST(buckets_add_up, plan_identity) {
  run_counts c{.scanned = 10, .matched = 9, .skipped_young = 2, .skipped_invalid = 1, .would_delete = 6};
  EXPECT_TRUE(buckets_add_up(c, run_command::plan));
  EXPECT_FALSE(buckets_add_up(c, run_command::run));
  c.would_delete = 5;
  EXPECT_FALSE(buckets_add_up(c, run_command::plan));
  c.would_delete = 5;
  c.deleted = 1;  // a plan deletes nothing
  EXPECT_FALSE(buckets_add_up(c, run_command::plan));
}

}  // namespace
}  // namespace scavenger::core
