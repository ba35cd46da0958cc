#include "scavenger/settings.hpp"

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

TEST(settings, names_follow_the_spec) {
  EXPECT_EQ(environment_name("older-than"), "SCAVENGER_OLDER_THAN");
  EXPECT_EQ(event_field_name("older-than"), "olderThan");
  EXPECT_EQ(event_field_name("expression-attribute-names"), "expressionAttributeNames");
  EXPECT_EQ(event_field_name("table"), "table");
}

TEST(settings, flags_beat_the_event_which_beats_the_environment) {
  aws::map_environment env({{"SCAVENGER_SEGMENTS", "4"}, {"SCAVENGER_DELETERS", "5"}, {"SCAVENGER_TABLE", "FromEnv"}});
  auto merged = merge_sources({{"segments", "6"}}, {{"segments", "7"}, {"deleters", "8"}}, options_from_environment(env));
  EXPECT_EQ(merged.at("segments"), "6");
  EXPECT_EQ(merged.at("deleters"), "8");
  EXPECT_EQ(merged.at("table"), "FromEnv");
}

TEST(settings, the_originals_variables_are_read_below_ours) {
  aws::map_environment original({{"WorkersTableName", "Workers"}, {"TotalSegments", "10"}, {"MaxDelRoutines", "20"}});
  auto values = options_from_environment(original);
  auto parsed = parse_run_settings(run_command::run, values);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->run.table, "Workers");
  EXPECT_EQ(parsed->run.segments, 10);
  EXPECT_EQ(parsed->run.deleters, 20);

  aws::map_environment both({{"WorkersTableName", "Workers"}, {"SCAVENGER_TABLE", "Ours"}});
  EXPECT_EQ(options_from_environment(both).at("table"), "Ours");
}

TEST(settings, defaults_match_the_spec) {
  auto parsed = parse_run_settings(run_command::plan, {});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->run.segments, 8);
  EXPECT_EQ(parsed->run.deleters, 32);
  EXPECT_FALSE(parsed->run.readers.has_value());
  EXPECT_EQ(default_readers(8), 8);
  EXPECT_EQ(default_readers(100), 16);
  EXPECT_EQ(parsed->run.mode, delete_mode::conditional);
  EXPECT_EQ(parsed->run.retry.max_attempts, 10);
  EXPECT_EQ(parsed->run.checkpoint_interval, std::chrono::seconds(5));
  EXPECT_EQ(parsed->request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(parsed->deadline_margin, std::chrono::seconds(3));
  EXPECT_EQ(parsed->output, "json");
  EXPECT_EQ(parsed->run.owner, (shard{0, 1}));
}

TEST(settings, every_value_is_parsed) {
  option_values values{{"older-than", "1d12h"}, {"age-attribute", "ts"}, {"age-format", "epoch-millis"},
                       {"server-age-filter", "true"}, {"segments", "17"}, {"readers", "3"}, {"page-size", "100"},
                       {"delete-mode", "batch"}, {"max-deletes", "1000"}, {"timeout", "2m"}, {"shard", "2/4"},
                       {"max-rcu", "50"}, {"max-wcu", "25.5"}, {"max-attempts", "4"}, {"request-timeout", "3s"},
                       {"consistent-read", "1"}, {"output", "text"}};
  auto parsed = parse_run_settings(run_command::run, values);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->run.older_than, std::chrono::hours(36));
  EXPECT_EQ(parsed->run.age_format_value, age_format::epoch_millis);
  EXPECT_TRUE(parsed->run.server_age_filter);
  EXPECT_EQ(parsed->run.segments, 17);
  EXPECT_EQ(parsed->run.readers, 3);
  EXPECT_EQ(parsed->run.page_size, 100);
  EXPECT_EQ(parsed->run.mode, delete_mode::batch);
  EXPECT_EQ(parsed->run.max_deletes, 1000);
  EXPECT_EQ(parsed->timeout, std::chrono::minutes(2));
  EXPECT_EQ(parsed->run.owner, (shard{2, 4}));
  EXPECT_DOUBLE_EQ(parsed->run.max_rcu, 50);
  EXPECT_DOUBLE_EQ(parsed->run.max_wcu, 25.5);
  EXPECT_EQ(parsed->run.retry.max_attempts, 4);
  EXPECT_EQ(parsed->request_timeout, std::chrono::seconds(3));
  EXPECT_TRUE(parsed->run.consistent_read);
  EXPECT_EQ(parsed->output, "text");
}

TEST(settings, a_bad_value_names_the_option_and_the_value) {
  const std::pair<const char*, const char*> bad[] = {
      {"older-than", "48hours"}, {"segments", "0"},       {"segments", "ten"},   {"deleters", "-1"},
      {"delete-mode", "fast"},   {"shard", "4/4"},        {"max-wcu", "0"},      {"timeout", "soon"},
      {"output", "xml"},         {"consistent-read", "maybe"}, {"age-format", "unix"}};
  for (const auto& [option, value] : bad) {
    auto parsed = parse_run_settings(run_command::run, {{option, value}});
    ASSERT_FALSE(parsed) << option << "=" << value;
    EXPECT_NE(parsed.error().message.find(value), std::string::npos) << parsed.error().message;
  }
}

}  // namespace
}  // namespace scavenger::core
