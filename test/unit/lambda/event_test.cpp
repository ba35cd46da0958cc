// The Lambda event (SPEC §7 "Lambda"): camelCase fields to options, typed values to text,
// cursors and cutoff as a previous response gave them, and errors that name the field.
#include <gtest/gtest.h>

#include "aws/rfc3339.hpp"
#include "lambda/event.hpp"

namespace scavenger::lambda {
namespace {

invocation_event parsed(std::string_view json) {
  auto event = parse_event(json);
  if (!event) throw std::runtime_error(event.error().message);
  return *event;
}

event_error failure(std::string_view json) {
  auto event = parse_event(json);
  if (event) throw std::runtime_error("accepted: " + std::string(json));
  return event.error();
}

TEST(lambda_event, fields_become_options_by_their_camel_case_names) {
  auto event = parsed(R"({"table":"Workers","olderThan":"48h","ageAttribute":"StartExecutionTime","segments":10,
                          "maxWcu":2.5,"serverAgeFilter":true,"consistentRead":false,"shard":"1/4"})");
  EXPECT_EQ(event.command, core::run_command::run);
  EXPECT_EQ(event.options.at("table"), "Workers");
  EXPECT_EQ(event.options.at("older-than"), "48h");
  EXPECT_EQ(event.options.at("age-attribute"), "StartExecutionTime");
  EXPECT_EQ(event.options.at("segments"), "10");
  EXPECT_EQ(event.options.at("max-wcu"), "2.5");
  EXPECT_EQ(event.options.at("server-age-filter"), "true");
  EXPECT_EQ(event.options.at("consistent-read"), "false");
  EXPECT_EQ(event.options.at("shard"), "1/4");
  EXPECT_FALSE(event.cursors.has_value());
  EXPECT_FALSE(event.cutoff.has_value());
}

TEST(lambda_event, expression_attributes_are_objects_or_strings) {
  auto event = parsed(R"({"expressionAttributeNames":{"#Comp":"Completed"},
                          "expressionAttributeValues":"{\":one\":{\"N\":\"1\"}}"})");
  EXPECT_EQ(event.options.at("expression-attribute-names"), R"({"#Comp":"Completed"})");
  EXPECT_EQ(event.options.at("expression-attribute-values"), R"({":one":{"N":"1"}})");
}

TEST(lambda_event, every_option_is_a_known_field) {
  for (const auto& spec : core::run_option_specs()) {
    EXPECT_EQ(option_of_event_field(core::event_field_name(spec.name)), std::string(spec.name));
  }
}

TEST(lambda_event, cursors_cutoff_and_command_as_a_previous_response_gave_them) {
  auto event = parsed(R"({"command":"plan","cutoff":"2026-11-24T12:00:00Z",
                          "cursors":[{"segment":0,"start_key":{"Id":{"S":"a"}},"done":false},
                                     {"segment":1,"start_key":null,"done":true}]})");
  EXPECT_EQ(event.command, core::run_command::plan);
  ASSERT_TRUE(event.cutoff.has_value());
  EXPECT_EQ(aws::format_rfc3339_utc(*event.cutoff), "2026-11-24T12:00:00Z");
  ASSERT_TRUE(event.cursors.has_value());
  ASSERT_EQ(event.cursors->size(), 2u);
  EXPECT_EQ((*event.cursors)[0].segment, 0);
  EXPECT_FALSE((*event.cursors)[0].done);
  EXPECT_TRUE((*event.cursors)[1].done);
}

TEST(lambda_event, empty_and_null_are_absent) {
  EXPECT_TRUE(parsed("").options.empty());
  EXPECT_TRUE(parsed("null").options.empty());
  EXPECT_TRUE(parsed("{}").options.empty());
  auto event = parsed(R"({"cutoff":null,"cursors":null,"table":null})");
  EXPECT_FALSE(event.cutoff.has_value());
  EXPECT_FALSE(event.cursors.has_value());
  EXPECT_FALSE(event.options.contains("table"));
}

TEST(lambda_event, an_unknown_field_is_named_with_the_known_ones) {
  auto error = failure(R"({"table":"Workers","olderThen":"48h"})");
  EXPECT_EQ(error.field, "olderThen");
  EXPECT_NE(error.message.find("unknown field 'olderThen'"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("olderThan"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("cursors"), std::string::npos) << error.message;
}

TEST(lambda_event, wrong_types_name_the_field) {
  EXPECT_EQ(failure(R"({"segments":[1]})").field, "segments");
  EXPECT_EQ(failure(R"({"table":{"name":"x"}})").field, "table");
  EXPECT_EQ(failure(R"({"all":1})").field, "all");
  EXPECT_EQ(failure(R"({"expressionAttributeNames":[]})").field, "expressionAttributeNames");
  EXPECT_EQ(failure(R"({"cursors":{}})").field, "cursors");
  EXPECT_EQ(failure(R"({"cutoff":"yesterday"})").field, "cutoff");
  EXPECT_EQ(failure(R"({"command":"delete"})").field, "command");
  EXPECT_EQ(failure(R"({"cursors":[{"segment":"x"}]})").field, "cursors");
  auto error = failure(R"({"segments":true})");
  EXPECT_NE(error.message.find("'segments' must be a string or a number, not a boolean"), std::string::npos) << error.message;
}

TEST(lambda_event, not_an_object_or_not_json) {
  EXPECT_NE(failure("[1]").message.find("JSON object"), std::string::npos);
  EXPECT_NE(failure("{").message.find("not JSON"), std::string::npos);
}

}  // namespace
}  // namespace scavenger::lambda
