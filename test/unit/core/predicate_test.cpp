#include "scavenger/predicate.hpp"

#include <gtest/gtest.h>

#include "aws/rfc3339.hpp"
#include "json_object_assertions.hpp"

namespace scavenger::core {
namespace {

using testing::is_json_object;

// The original scavenger's table and filter (SPEC §1).
const std::string completed_filter = "#Comp = :NCompl OR #Comp = :SCompl";
const std::string completed_names = R"({"#Comp":"Completed"})";
const std::string completed_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
const std::vector<std::string> worker_keys{"WorkerId", "StartTime"};
const std::string seen = R"({"S":"2026-11-20T08:15:00Z"})";

std::chrono::system_clock::time_point cutoff() { return aws::parse_rfc3339("2026-11-24T12:00:00Z").value(); }

age_rule start_time_rule(age_format format = age_format::rfc3339) {
  return age_rule{"StartExecutionTime", format, cutoff()};
}

predicate_settings filter_only() {
  predicate_settings settings;
  settings.filter = completed_filter;
  settings.expression_attribute_names = completed_names;
  settings.expression_attribute_values = completed_values;
  return settings;
}

predicate_settings age_only(age_format format = age_format::rfc3339) {
  predicate_settings settings;
  settings.age = start_time_rule(format);
  return settings;
}

predicate_settings filter_and_age(age_format format = age_format::rfc3339) {
  auto settings = filter_only();
  settings.age = start_time_rule(format);
  return settings;
}

predicate build(const predicate_settings& settings, const std::vector<std::string>& keys = worker_keys) {
  auto built = build_predicate(settings, keys);
  if (!built) ADD_FAILURE() << built.error().message;
  return std::move(built).value();
}

std::string refusal(const predicate_settings& settings, const std::vector<std::string>& keys = worker_keys) {
  const auto built = build_predicate(settings, keys);
  if (built) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  EXPECT_EQ(built.error().message.find('\n'), std::string::npos);
  return built.error().message;
}

// Every names/values text a request would carry is a JSON object, or empty (none).
void expect_json_objects_or_empty(const predicate& built) {
  EXPECT_TRUE(is_json_object(built.scan_attribute_names()));
  for (const auto& text :
       {built.scan_attribute_values(), built.condition_attribute_names(), built.condition_attribute_values(seen)}) {
    if (!text.empty()) {
      EXPECT_TRUE(is_json_object(text));
    }
  }
}

dynamodb::item worker(std::string_view start_execution_time) {
  return {{"WorkerId", R"({"N":"7"})"},
          {"StartTime", R"({"S":"2026-11-01T00:00:00Z"})"},
          {"StartExecutionTime", std::string(start_execution_time)}};
}

TEST(build_predicate, filter_only) {
  const auto built = build(filter_only());
  EXPECT_EQ(built.scan_filter_expression(), completed_filter);
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_k1");
  EXPECT_EQ(built.scan_attribute_names(), R"({"#Comp":"Completed","#scv_k0":"WorkerId","#scv_k1":"StartTime"})");
  EXPECT_EQ(built.scan_attribute_values(), completed_values);
  EXPECT_EQ(built.condition_expression(), "(#Comp = :NCompl OR #Comp = :SCompl)");
  EXPECT_EQ(built.condition_attribute_names(), completed_names);
  EXPECT_EQ(built.condition_attribute_values(seen), completed_values);
  EXPECT_FALSE(built.age());
  // Without an age rule every item the filter let through is a candidate.
  EXPECT_EQ(built.check(worker(R"({"NULL":true})")), age_verdict::old_enough);
  EXPECT_EQ(built.check({{"WorkerId", R"({"N":"7"})"}}), age_verdict::old_enough);
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, age_only) {
  const auto built = build(age_only());
  EXPECT_EQ(built.scan_filter_expression(), "");
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_k1, #scv_age");
  EXPECT_EQ(built.scan_attribute_names(),
            R"({"#scv_k0":"WorkerId","#scv_k1":"StartTime","#scv_age":"StartExecutionTime"})");
  EXPECT_EQ(built.scan_attribute_values(), "");
  EXPECT_EQ(built.condition_expression(), "#scv_age = :scv_seen");
  EXPECT_EQ(built.condition_attribute_names(), R"({"#scv_age":"StartExecutionTime"})");
  EXPECT_EQ(built.condition_attribute_values(seen), R"({":scv_seen":{"S":"2026-11-20T08:15:00Z"}})");
  EXPECT_EQ(built.condition_attribute_values(R"({"N":"1732000000.5"})"), R"({":scv_seen":{"N":"1732000000.5"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, age_only_checks_each_item) {
  const auto built = build(age_only());
  EXPECT_EQ(built.check(worker(seen)), age_verdict::old_enough);
  EXPECT_EQ(built.check(worker(R"({"S":"2026-11-24T12:00:00Z"})")), age_verdict::young);
  EXPECT_EQ(built.check(worker(R"({"N":"1"})")), age_verdict::invalid);
  EXPECT_EQ(built.check({{"WorkerId", R"({"N":"7"})"}}), age_verdict::invalid);
}

TEST(build_predicate, filter_and_age) {
  const auto built = build(filter_and_age());
  EXPECT_EQ(built.scan_filter_expression(), completed_filter);
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_k1, #scv_age");
  EXPECT_EQ(built.scan_attribute_names(),
            R"({"#Comp":"Completed","#scv_k0":"WorkerId","#scv_k1":"StartTime","#scv_age":"StartExecutionTime"})");
  EXPECT_EQ(built.scan_attribute_values(), completed_values);
  EXPECT_EQ(built.condition_expression(), "(#Comp = :NCompl OR #Comp = :SCompl) AND #scv_age = :scv_seen");
  EXPECT_EQ(built.condition_attribute_names(), R"({"#Comp":"Completed","#scv_age":"StartExecutionTime"})");
  EXPECT_EQ(built.condition_attribute_values(seen),
            R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"},":scv_seen":{"S":"2026-11-20T08:15:00Z"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, filter_without_values_and_age) {
  predicate_settings settings;
  settings.filter = "attribute_exists(EndTime)";
  settings.expression_attribute_values = "{}";
  settings.age = start_time_rule();
  const auto built = build(settings);
  EXPECT_EQ(built.scan_attribute_values(), "");
  EXPECT_EQ(built.condition_expression(), "(attribute_exists(EndTime)) AND #scv_age = :scv_seen");
  EXPECT_EQ(built.condition_attribute_names(), R"({"#scv_age":"StartExecutionTime"})");
  EXPECT_EQ(built.condition_attribute_values(seen), R"({":scv_seen":{"S":"2026-11-20T08:15:00Z"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, all_alone_is_unconditional) {
  predicate_settings settings;
  settings.all = true;
  const auto built = build(settings);
  EXPECT_EQ(built.scan_filter_expression(), "");
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_k1");
  EXPECT_EQ(built.scan_attribute_names(), R"({"#scv_k0":"WorkerId","#scv_k1":"StartTime"})");
  EXPECT_EQ(built.scan_attribute_values(), "");
  EXPECT_EQ(built.condition_expression(), "");
  EXPECT_EQ(built.condition_attribute_names(), "");
  EXPECT_EQ(built.condition_attribute_values(seen), "");
  EXPECT_EQ(built.check(worker(R"({"NULL":true})")), age_verdict::old_enough);
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, all_with_a_filter_or_an_age_rule_changes_nothing) {
  auto settings = filter_and_age();
  const auto without_all = build(settings);
  settings.all = true;
  const auto with_all = build(settings);
  EXPECT_EQ(with_all.scan_filter_expression(), without_all.scan_filter_expression());
  EXPECT_EQ(with_all.scan_attribute_names(), without_all.scan_attribute_names());
  EXPECT_EQ(with_all.condition_expression(), without_all.condition_expression());
  EXPECT_EQ(with_all.condition_attribute_values(seen), without_all.condition_attribute_values(seen));
}

TEST(build_predicate, server_age_filter_epoch_seconds_alone) {
  auto settings = age_only(age_format::epoch_seconds);
  settings.server_age_filter = true;
  const auto built = build(settings);
  EXPECT_EQ(built.scan_filter_expression(),
            "#scv_age < :scv_cutoff OR attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, :scv_n)");
  EXPECT_EQ(built.scan_attribute_values(), R"({":scv_cutoff":{"N":"1795521600"},":scv_n":{"S":"N"}})");
  EXPECT_EQ(built.scan_attribute_names(),
            R"({"#scv_k0":"WorkerId","#scv_k1":"StartTime","#scv_age":"StartExecutionTime"})");
  // The delete re-checks the value, not the server filter.
  EXPECT_EQ(built.condition_expression(), "#scv_age = :scv_seen");
  EXPECT_EQ(built.condition_attribute_values(R"({"N":"1700000000"})"), R"({":scv_seen":{"N":"1700000000"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, server_age_filter_epoch_millis_with_a_filter) {
  auto settings = filter_and_age(age_format::epoch_millis);
  settings.server_age_filter = true;
  const auto built = build(settings);
  EXPECT_EQ(built.scan_filter_expression(),
            "(#Comp = :NCompl OR #Comp = :SCompl) AND (#scv_age < :scv_cutoff OR attribute_not_exists(#scv_age) OR "
            "NOT attribute_type(#scv_age, :scv_n))");
  EXPECT_EQ(built.scan_attribute_values(),
            R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"},":scv_cutoff":{"N":"1795521600000"},":scv_n":{"S":"N"}})");
  EXPECT_EQ(built.condition_expression(), "(#Comp = :NCompl OR #Comp = :SCompl) AND #scv_age = :scv_seen");
  EXPECT_EQ(built.condition_attribute_values(R"({"N":"1"})"),
            R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"},":scv_seen":{"N":"1"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, server_age_filter_rfc3339) {
  auto settings = age_only();
  settings.server_age_filter = true;
  auto built = build(settings);
  EXPECT_EQ(built.scan_filter_expression(),
            "#scv_age < :scv_cutoff_prefix OR attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, :scv_s)");
  EXPECT_EQ(built.scan_attribute_values(), R"({":scv_cutoff_prefix":{"S":"2026-11-25t12:00:00Z"},":scv_s":{"S":"S"}})");
  expect_json_objects_or_empty(built);

  settings = filter_and_age();
  settings.server_age_filter = true;
  built = build(settings);
  EXPECT_EQ(built.scan_filter_expression(),
            "(#Comp = :NCompl OR #Comp = :SCompl) AND (#scv_age < :scv_cutoff_prefix OR "
            "attribute_not_exists(#scv_age) OR NOT attribute_type(#scv_age, :scv_s))");
  EXPECT_EQ(built.scan_attribute_values(),
            R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"},":scv_cutoff_prefix":{"S":"2026-11-25t12:00:00Z"},)"
            R"(":scv_s":{"S":"S"}})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, projects_an_age_attribute_that_is_a_key_once) {
  auto settings = age_only();
  settings.age->attribute = "StartTime";
  const auto built = build(settings);
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_age");
  EXPECT_EQ(built.scan_attribute_names(), R"({"#scv_k0":"WorkerId","#scv_age":"StartTime"})");
  EXPECT_EQ(built.condition_attribute_names(), R"({"#scv_age":"StartTime"})");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, escapes_attribute_names) {
  predicate_settings settings;
  settings.age = age_rule{"time \"stamp\"", age_format::epoch_seconds, cutoff()};
  const auto built = build(settings, {"id\\x", "sort.key"});
  EXPECT_EQ(built.projection_expression(), "#scv_k0, #scv_k1, #scv_age");
  EXPECT_EQ(built.scan_attribute_names(), R"({"#scv_k0":"id\\x","#scv_k1":"sort.key","#scv_age":"time \"stamp\""})");
  EXPECT_EQ(built.check({{"time \"stamp\"", R"({"N":"5"})"}}), age_verdict::old_enough);
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, keeps_the_users_objects_as_written) {
  auto settings = filter_only();
  settings.expression_attribute_names = " {\n  \"#Comp\" : \"Completed\"\n} ";
  const auto built = build(settings, {"WorkerId"});
  EXPECT_EQ(built.scan_attribute_names(), "{\"#Comp\" : \"Completed\",\"#scv_k0\":\"WorkerId\"}");
  EXPECT_EQ(built.condition_attribute_names(), "{\"#Comp\" : \"Completed\"}");
  expect_json_objects_or_empty(built);
}

TEST(build_predicate, keeps_the_settings) {
  const auto settings = filter_and_age(age_format::epoch_millis);
  const auto built = build(settings);
  EXPECT_EQ(built.settings().filter, completed_filter);
  EXPECT_EQ(built.settings().expression_attribute_values, completed_values);
  ASSERT_TRUE(built.age());
  EXPECT_EQ(built.age()->attribute, "StartExecutionTime");
  EXPECT_EQ(built.age()->format, age_format::epoch_millis);
  EXPECT_EQ(built.age()->cutoff, cutoff());
}

TEST(build_predicate, refuses_no_filter_and_no_age_rule_without_all) {
  EXPECT_EQ(refusal(predicate_settings{}),
            "no --filter and no --older-than: that matches every item of the table; add --all if that is intended");
  predicate_settings blank;
  blank.filter = "  \n";
  EXPECT_NE(refusal(blank).find("add --all"), std::string::npos);
}

TEST(build_predicate, refuses_names_or_values_that_are_not_objects) {
  auto settings = filter_only();
  settings.expression_attribute_names = R"(["#Comp","Completed"])";
  EXPECT_EQ(refusal(settings).rfind("--expression-attribute-names is not a JSON object", 0), 0U);
  settings = filter_only();
  settings.expression_attribute_values = R"({":NCompl":{"N":"1"})";
  EXPECT_EQ(refusal(settings).rfind("--expression-attribute-values is not valid JSON", 0), 0U);
}

TEST(build_predicate, refuses_reserved_placeholders) {
  auto settings = filter_and_age();
  settings.expression_attribute_names = R"({"#Comp":"Completed","#scv_age":"Other"})";
  EXPECT_NE(refusal(settings).find("\"#scv_age\""), std::string::npos);

  settings = filter_and_age();
  settings.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"},":scv_seen":{"S":"x"}})";
  EXPECT_NE(refusal(settings).find("\":scv_seen\""), std::string::npos);

  settings = filter_and_age();
  settings.filter = "#scv_age < :NCompl";
  EXPECT_EQ(refusal(settings),
            "--filter mentions a placeholder starting with \"#scv_\", a prefix reserved for scavenger: rename it in "
            "the filter and its names/values");
  settings.filter = "#Comp = :scv_seen";
  EXPECT_NE(refusal(settings).find("\":scv_\""), std::string::npos);
}

TEST(build_predicate, refuses_placeholders_without_a_filter) {
  auto settings = age_only();
  settings.expression_attribute_names = completed_names;
  EXPECT_NE(refusal(settings).find("without --filter"), std::string::npos);
  settings = age_only();
  settings.all = true;
  settings.expression_attribute_values = completed_values;
  EXPECT_NE(refusal(settings).find("without --filter"), std::string::npos);
  // Empty objects are no placeholders.
  settings.expression_attribute_values = "{}";
  EXPECT_TRUE(build_predicate(settings, worker_keys));
}

TEST(build_predicate, refuses_an_empty_age_attribute) {
  auto settings = age_only();
  settings.age->attribute.clear();
  EXPECT_EQ(refusal(settings), "--age-attribute is empty: name the attribute that holds each item's timestamp");
}

TEST(build_predicate, refuses_a_server_age_filter_without_an_age_rule) {
  auto settings = filter_only();
  settings.server_age_filter = true;
  EXPECT_EQ(refusal(settings),
            "--server-age-filter needs --older-than and --age-attribute: there is no age rule to send");
}

TEST(build_predicate, refuses_a_key_schema_without_attributes) { EXPECT_FALSE(refusal(filter_only(), {}).empty()); }

}  // namespace
}  // namespace scavenger::core
