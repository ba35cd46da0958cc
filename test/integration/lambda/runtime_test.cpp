// The real `bootstrap` against a local Runtime API and the emulators (SPEC §7 "Lambda"):
// invocations served one after another by one process on one connection pool, a run cut by
// Lambda's deadline that a follow-up invocation finishes from the response's cursors and
// cutoff, and bad events or environments reported on /error and /init/error.
#include <simdjson.h>

#include <filesystem>

#include "../scavenger/scavenger_test.hpp"
#include "counting_forwarder.hpp"
#include "runtime_api_fixture.hpp"

namespace scavenger::test {
namespace {

using namespace std::chrono_literals;

std::string bootstrap_binary() { return (std::filesystem::path(scavenger_binary()).parent_path() / "bootstrap").string(); }

// The original's filter as event fields (objects, as a Step Functions state would pass them);
// the age rule comes from the environment, so the event is merged over it.
// An empty `table` leaves it to the environment.
std::string original_event(const std::string& table, const std::string& more = "") {
  return std::string("{") + (table.empty() ? "" : R"("table":")" + table + "\",") +
         R"("filter":"#Comp = :NCompl OR #Comp = :SCompl",)" +
         R"("expressionAttributeNames":{"#Comp":"Completed"},)" +
         R"("expressionAttributeValues":{":NCompl":{"N":"1"},":SCompl":{"S":"1"}},)" +
         R"("segments":4,"deleters":8)" + more + "}";
}

struct error_report {
  std::string type;     // errorType in the body
  std::string message;  // errorMessage
};

error_report parse_error(const runtime_answer& answer) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(answer.body).get(root)) throw std::runtime_error("the error report is not JSON: " + answer.body);
  return {std::string(root["errorType"].get_string().value()), std::string(root["errorMessage"].get_string().value())};
}

// The "invocation done" log line of `request_id`: its connections_opened fields.
std::pair<long, long> connections_of(const std::string& log, const std::string& request_id) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"invocation done\"") == std::string::npos || line.find('"' + request_id + '"') == std::string::npos) continue;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(line).get(root)) continue;
    return {std::stol(std::string(root["connections_opened"].get_string().value())),
            std::stol(std::string(root["connections_opened_total"].get_string().value()))};
  }
  throw std::runtime_error("no 'invocation done' line for " + request_id + " in:\n" + log);
}

class lambda_runtime : public scavenger_test {
 protected:
  std::map<std::string, std::string> lambda_environment(const std::map<std::string, std::string>& more = {}) const {
    auto env = environment();
    env["AWS_LAMBDA_RUNTIME_API"] = api_.host_port();
    env["SCAVENGER_ENDPOINT_URL"] = url_of(GetParam());
    env["SCAVENGER_OLDER_THAN"] = "48h";
    env["SCAVENGER_AGE_ATTRIBUTE"] = "StartExecutionTime";
    env["WorkersTableName"] = "";
    for (const auto& [name, value] : more) env[name] = value;
    return env;
  }

  std::unique_ptr<child_process> start(const std::map<std::string, std::string>& more = {}) {
    return std::make_unique<child_process>(bootstrap_binary(), std::vector<std::string>{}, lambda_environment(more));
  }

  // The answer to `id`; fails the test with the runtime's log when there is none in time.
  runtime_answer answer_to(const std::string& id, child_process& child, std::chrono::seconds limit = 40s) {
    auto answer = api_.wait_for(id, limit);
    if (!answer) throw std::runtime_error("no answer to " + id + "; bootstrap's log:\n" + child.current_stderr());
    return *answer;
  }

  runtime_api api_;  // before any child: a child is killed before its Runtime API goes
};

TEST_P(lambda_runtime, two_invocations_in_one_process_reuse_the_connection_pool_and_are_exact) {
  const auto first_table = seed(600, 100);
  const auto first_seeded = seeded_at_;
  const auto second_table = seed(600, 150);
  counting_forwarder counted(url_of(GetParam()));
  auto child = start({{"WorkersTableName", first_table}, {"SCAVENGER_ENDPOINT_URL", counted.url()}});

  // The first takes its table from the environment (the original's variable).
  auto first = api_.invoke(original_event(""));
  auto first_answer = answer_to(first, *child);
  ASSERT_FALSE(first_answer.error) << first_answer.body << "\n" << child->current_stderr();
  auto first_summary = parse_summary(first_answer.body);
  EXPECT_TRUE(first_summary.complete);
  EXPECT_EQ(first_summary.deleted, 500);
  EXPECT_TRUE(buckets_add_up(first_summary));
  const auto accepted_after_first = counted.connections_accepted();

  auto second = api_.invoke(original_event(second_table));
  auto second_answer = answer_to(second, *child);
  ASSERT_FALSE(second_answer.error) << second_answer.body;
  auto second_summary = parse_summary(second_answer.body);
  EXPECT_TRUE(second_summary.complete);
  EXPECT_EQ(second_summary.deleted, 450);
  EXPECT_TRUE(buckets_add_up(second_summary));

  // Counted at the server: the second invocation opened no more connections than its 8
  // deleters and 4 readers can use at once (a new pool would open them all again).
  const auto opened_by_second = counted.connections_accepted() - accepted_after_first;
  EXPECT_LE(opened_by_second, 8u + 4u);
  EXPECT_LE(counted.connections_accepted(), 8u + 4u + 1u) << "both invocations fit one pool's connections";
  // And as the runtime reports it: the same client served both (its running total goes on).
  const auto log = child->current_stderr();
  const auto [first_opened, first_total] = connections_of(log, first);
  const auto [second_opened, second_total] = connections_of(log, second);
  EXPECT_EQ(static_cast<std::size_t>(first_opened), accepted_after_first);
  EXPECT_EQ(static_cast<std::size_t>(second_opened), opened_by_second);
  EXPECT_EQ(second_total, first_total + second_opened) << "a new client (and connection pool) for the second invocation";
  RecordProperty("connections_first", static_cast<int>(accepted_after_first));
  RecordProperty("connections_second", static_cast<int>(opened_by_second));
  EXPECT_TRUE(child->running()) << "bootstrap must wait for the next invocation";

  expect_exact(second_table, 150);
  seeded_at_ = first_seeded;
  expect_exact(first_table, 100);
}

TEST_P(lambda_runtime, the_packaged_zip_serves_an_invocation_with_only_the_lambda_environment) {
  const auto table = seed(300, 50);
  const auto work = std::filesystem::temp_directory_path() / unique_table_name("lambda-zip");
  const auto task_root = work / "task";
  std::filesystem::create_directories(task_root);
  const auto zip = (work / "scavenger-lambda.zip").string();
  auto packaged = run_process(std::string(SCAVENGER_SOURCE_DIR) + "/packaging/package-lambda.sh",
                              {"--binary", bootstrap_binary(), work.string(), zip}, {}, std::chrono::minutes(2));
  ASSERT_EQ(packaged.exit_code, 0) << packaged.err;
  auto unpacked = run_process("/usr/bin/unzip", {"-q", zip, "-d", task_root.string()}, {}, std::chrono::minutes(1));
  ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;

  // What Lambda gives a provided.al2023 function, and nothing of this machine's environment.
  const std::map<std::string, std::string> lambda_only{
      {"LAMBDA_TASK_ROOT", task_root.string()}, {"AWS_LAMBDA_RUNTIME_API", api_.host_port()},
      {"AWS_LAMBDA_FUNCTION_NAME", "scavenger"}, {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"},
      {"AWS_REGION", "us-east-1"}, {"AWS_ACCESS_KEY_ID", "AKIDSCAVENGERTEST"},
      {"AWS_SECRET_ACCESS_KEY", "scavenger-test-secret"}, {"AWS_SESSION_TOKEN", "session"},
      {"SCAVENGER_ENDPOINT_URL", url_of(GetParam())}, {"SCAVENGER_OLDER_THAN", "48h"},
      {"SCAVENGER_AGE_ATTRIBUTE", "StartExecutionTime"}};
  child_process child((task_root / "bootstrap").string(), {}, lambda_only, false);
  auto id = api_.invoke(original_event(table));
  auto answer = answer_to(id, child);
  ASSERT_FALSE(answer.error) << answer.body << "\n" << child.current_stderr();
  auto summary = parse_summary(answer.body);
  EXPECT_TRUE(summary.complete);
  EXPECT_EQ(summary.deleted, 250);
  expect_exact(table, 50);
  std::filesystem::remove_all(work);
}

TEST_P(lambda_runtime, a_run_cut_by_the_deadline_answers_cursors_and_the_follow_up_completes_exact) {
  const auto table = seed(1000, 100);
  auto child = start();

  // 900 deletes held to 100 WCU/s need 9 s; Lambda's deadline is 4 s away, 1 s kept back.
  const auto deadline = std::chrono::system_clock::now() + 4s;
  auto cut = api_.invoke(original_event(table, R"(,"maxWcu":100,"deadlineMargin":"1s")"), 4000ms);
  auto cut_answer = answer_to(cut, *child);
  ASSERT_FALSE(cut_answer.error) << cut_answer.body;
  EXPECT_LT(cut_answer.at, deadline) << "the response must reach Lambda before its deadline";
  auto cut_summary = parse_summary(cut_answer.body);
  EXPECT_FALSE(cut_summary.complete);
  EXPECT_EQ(cut_summary.cursors, 4u);
  EXPECT_GT(cut_summary.deleted, 0);
  EXPECT_LT(cut_summary.deleted, 900);

  // What a Step Functions loop does: pass the response's cursors and cutoff back in.
  simdjson::dom::parser parser;
  auto root = parser.parse(cut_answer.body).value();
  const std::string cursors = simdjson::minify(root["cursors"]);
  const std::string cutoff(root["cutoff"].get_string().value());
  auto follow_up = api_.invoke(original_event(table, R"(,"cursors":)" + cursors + R"(,"cutoff":")" + cutoff + "\""));
  auto follow_up_answer = answer_to(follow_up, *child);
  ASSERT_FALSE(follow_up_answer.error) << follow_up_answer.body;
  auto follow_up_summary = parse_summary(follow_up_answer.body);
  EXPECT_TRUE(follow_up_summary.complete);
  EXPECT_EQ(follow_up_summary.cursors, 0u);
  // Deletes in flight when the deadline came may have taken effect unseen (their answers were
  // abandoned), so the two counts add up to 900 less at most the 8 deleters' requests.
  EXPECT_LE(cut_summary.deleted + follow_up_summary.deleted, 900);
  EXPECT_GE(cut_summary.deleted + follow_up_summary.deleted, 900 - 8);
  auto follow_up_root = parser.parse(follow_up_answer.body).value();
  EXPECT_EQ(std::string(follow_up_root["cutoff"].get_string().value()), cutoff) << "the follow-up keeps the first cutoff";
  expect_exact(table, 100);
}

TEST_P(lambda_runtime, bad_events_are_reported_on_error_and_the_next_invocation_is_served) {
  const auto table = seed(50, 10);
  auto child = start();

  auto typo = api_.invoke(original_event(table, R"(,"olderThen":"48h")"));
  auto typo_answer = answer_to(typo, *child);
  ASSERT_TRUE(typo_answer.error) << typo_answer.body;
  EXPECT_EQ(typo_answer.error_type, "Scavenger.InvalidEvent");
  auto typo_report = parse_error(typo_answer);
  EXPECT_EQ(typo_report.type, "Scavenger.InvalidEvent");
  EXPECT_NE(typo_report.message.find("'olderThen'"), std::string::npos) << typo_report.message;
  EXPECT_NE(typo_report.message.find("olderThan"), std::string::npos) << "the known fields are listed: " << typo_report.message;

  auto wrong_type = api_.invoke(original_event(table, R"(,"maxWcu":[100])"));
  auto wrong_type_report = parse_error(answer_to(wrong_type, *child));
  EXPECT_EQ(wrong_type_report.type, "Scavenger.InvalidEvent");
  EXPECT_NE(wrong_type_report.message.find("'maxWcu'"), std::string::npos) << wrong_type_report.message;

  // Neither the event nor the environment names the table.
  auto tableless = api_.invoke(R"x({"filter":"attribute_exists(Completed)"})x");
  auto tableless_answer = answer_to(tableless, *child);
  ASSERT_TRUE(tableless_answer.error);
  auto tableless_report = parse_error(tableless_answer);
  EXPECT_EQ(tableless_report.type, "Scavenger.InvalidEvent");
  EXPECT_NE(tableless_report.message.find("'table'"), std::string::npos) << tableless_report.message;

  // A table that does not exist is a fatal run error.
  auto missing = api_.invoke(original_event(table + "-missing"));
  auto missing_report = parse_error(answer_to(missing, *child));
  EXPECT_EQ(missing_report.type, "Scavenger.RunFailed");
  EXPECT_NE(missing_report.message.find(table + "-missing"), std::string::npos) << missing_report.message;

  // Still serving: a plan of the real table.
  auto plan = api_.invoke(original_event(table, R"(,"command":"plan")"));
  auto plan_answer = answer_to(plan, *child);
  ASSERT_FALSE(plan_answer.error) << plan_answer.body;
  auto plan_summary = parse_summary(plan_answer.body);
  EXPECT_TRUE(plan_summary.complete);
  EXPECT_EQ(plan_summary.would_delete, 40);
  EXPECT_EQ(plan_summary.deleted, 0);
  EXPECT_TRUE(child->running());
}

TEST_P(lambda_runtime, a_malformed_environment_value_is_reported_once_on_init_error_and_exits) {
  auto child = start({{"SCAVENGER_OLDER_THAN", "48hours"}});
  auto result = child->wait(20s);
  EXPECT_NE(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.signal, 0) << "bootstrap must exit by itself";
  auto report = api_.wait_for_init_error(1s);
  ASSERT_TRUE(report.has_value()) << result.err;
  EXPECT_EQ(report->error_type, "Scavenger.InvalidEnvironment");
  auto parsed = parse_error(*report);
  EXPECT_NE(parsed.message.find("SCAVENGER_OLDER_THAN"), std::string::npos) << parsed.message;
  EXPECT_NE(parsed.message.find("48hours"), std::string::npos) << parsed.message;
  EXPECT_EQ(api_.polls(), 0u) << "no invocation is fetched after a failed start-up";
}

SCAVENGER_ON_BOTH_EMULATORS(lambda_runtime);

}  // namespace
}  // namespace scavenger::test
