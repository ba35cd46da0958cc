// SPEC §5 through a fault-injecting proxy: throttling and server errors on the deletes are
// retried (throttling without spending attempts), partial batches are resent, and every run
// still ends exact. What is asserted of the summary's "requests":
// - throttled == the throttling answers the proxy injected: the emulators never throttle, so
//   every throttled answer the client saw is one of ours, and each reached it;
// - retries == every answer the proxy injected: each is retryable and was retried (the run is
//   exact and nothing failed, so no call gave up), and nothing else failed.
// UnprocessedItems are resent by the pipeline, not the client: they count in neither.

#include <gtest/gtest.h>

#include <atomic>

#include "scavenger_test.hpp"
#include "support/dynamodb_proxy.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 2000;
constexpr std::int64_t survivors = 300;
constexpr std::int64_t doomed = items - survivors;

class throttling_test : public scavenger_test {
 protected:
  std::vector<std::string> run_arguments(const std::string& table, const std::string& endpoint, const std::string& mode) const {
    auto arguments = with(original_rule(table), {"--delete-mode", mode, "--max-attempts", "10"});
    for (std::size_t i = 0; i + 1 < arguments.size(); ++i) {
      if (arguments[i] == "--endpoint-url") arguments[i + 1] = endpoint;
    }
    return arguments;
  }

  // Runs, and checks what every case here must end with: exit 0, exactly the survivors left.
  summary_counts run_to_exact(const std::string& table, const std::vector<std::string>& arguments) {
    const auto result = scavenger("run", arguments, std::chrono::seconds(120));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    const auto summary = parse_summary(result.out);
    EXPECT_TRUE(summary.complete);
    EXPECT_EQ(summary.deleted, doomed) << result.out;
    EXPECT_EQ(summary.failed, 0) << result.out;
    EXPECT_EQ(summary.skipped_changed, 0) << result.out;
    EXPECT_TRUE(buckets_add_up(summary)) << result.out;
    expect_exact(table, survivors);
    return summary;
  }
};

TEST_P(throttling_test, conditional_deletes_survive_throughput_exceeded_and_internal_errors) {
  const auto table = seed(items, survivors);
  dynamodb_proxy proxy(url_of(GetParam()), 1501);
  proxy.set_before([&proxy](const proxied_call& call) -> std::optional<fixture_response> {
    if (call.operation != "DeleteItem") return std::nullopt;
    if (proxy.chance(0.15)) return throughput_exceeded();
    if (proxy.chance(0.05 / 0.85)) return internal_server_error();  // 5% of all DeleteItem calls
    return std::nullopt;
  });

  const auto summary = run_to_exact(table, run_arguments(table, proxy.url(), "conditional"));
  const auto throttles = proxy.faults_of_type("ProvisionedThroughputExceededException");
  const auto errors = proxy.faults_of_type("InternalServerError");
  EXPECT_GT(throttles, 0u);
  EXPECT_GT(errors, 0u);
  EXPECT_EQ(proxy.faults(), throttles + errors);
  EXPECT_EQ(summary.throttled, static_cast<std::int64_t>(throttles));
  EXPECT_EQ(summary.retries, static_cast<std::int64_t>(throttles + errors));
  // Refused calls were never applied: each item took one forwarded DeleteItem.
  EXPECT_EQ(proxy.calls("DeleteItem"), static_cast<std::uint64_t>(doomed) + throttles + errors);
}

TEST_P(throttling_test, batch_deletes_resend_unprocessed_items_and_throttled_batches) {
  const auto table = seed(items, survivors);
  dynamodb_proxy proxy(url_of(GetParam()), 3010);
  proxy.set_rewrite(partial_batch(0.30, 3011));
  proxy.set_before([&proxy](const proxied_call& call) -> std::optional<fixture_response> {
    if (call.operation == "BatchWriteItem" && proxy.chance(0.10)) return throttling_exception();
    return std::nullopt;
  });

  const auto summary = run_to_exact(table, run_arguments(table, proxy.url(), "batch"));
  const auto throttles = proxy.faults_of_type("ThrottlingException");
  EXPECT_GT(throttles, 0u);
  EXPECT_GT(proxy.held_back(), static_cast<std::uint64_t>(doomed) / 5);  // ~30% at least once
  EXPECT_EQ(proxy.faults(), throttles);
  EXPECT_EQ(summary.throttled, static_cast<std::int64_t>(throttles));
  EXPECT_EQ(summary.retries, static_cast<std::int64_t>(throttles));
}

// A lost response (SPEC §4): the delete was applied but the client got a 500, so its retry
// meets ConditionalCheckFailedException; a consistent GetItem must settle it as deleted.
TEST_P(throttling_test, conditional_deletes_whose_responses_were_lost_count_as_deleted) {
  const auto table = seed(items, survivors);
  dynamodb_proxy proxy(url_of(GetParam()), 4242);
  std::atomic<std::uint64_t> lost{0};
  proxy.set_rewrite([&](const proxied_call& call) -> std::optional<rewritten_call> {
    if (call.operation != "DeleteItem" || !proxy.chance(0.05)) return std::nullopt;
    rewritten_call applied_then_lost{call.request.body, nullptr, 0};
    applied_then_lost.fix_response = [&lost](http::response& answer) {
      if (answer.status != 200) return;
      ++lost;
      const auto error = internal_server_error();
      answer.status = error.status;
      answer.headers = error.headers;
      answer.body = error.body;
    };
    return applied_then_lost;
  });

  const auto summary = run_to_exact(table, run_arguments(table, proxy.url(), "conditional"));
  EXPECT_GT(lost.load(), 0u);
  EXPECT_EQ(summary.retries, static_cast<std::int64_t>(lost.load()));
  EXPECT_GE(proxy.calls("GetItem"), lost.load());  // each lost response settled by a read
}

SCAVENGER_ON_BOTH_EMULATORS(throttling_test);

}  // namespace
}  // namespace scavenger::test
