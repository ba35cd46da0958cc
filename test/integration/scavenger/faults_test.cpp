// SPEC §4-§5 through a fault-injecting proxy in front of the real emulators: every fault
// kind alone, and all of them together, at 5-20% of the calls, in both delete modes. Every run
// must end exact: exit 0, exactly the doomed items deleted (none lost, none wrongly deleted),
// nothing failed or "changed" (nobody else writes), and the buckets add up.
//
// What is asserted of the summary's "requests":
// - per operation, the requests the summary counts == the calls the proxy received: every
//   attempt was counted, and nothing was resent behind the counters' back;
// - throttled == the throttling answers injected: the emulators never throttle, and every
//   injected throttle reached the client (it is answered at once, within the time-out);
// - retries == the faults injected, partial batches excepted (UnprocessedItems are resent by
//   the pipeline, not retried by the client): each other fault fails exactly one attempt, and
//   no call gave up (nothing failed). With slow faults the client runs with a 1 s
//   --request-timeout (the shortest: it takes whole seconds), and an emulator answer that
//   happens to take that long is one more retry nobody injected: there retries is only
//   bounded below.
// - conditional mode: a delete whose answer was lost after it was applied (the faults that
//   forward) meets ConditionalCheckFailedException on its retry and is settled by one
//   consistent GetItem, so the settling reads are at least one and at most the lost answers
//   (an item whose retries were lost too needs only one read). Batch deletes are idempotent
//   and are simply resent: no reads.
//
// Every fault kind applies on both emulators: the proxy makes them all, whatever is behind it.
// partial_batch needs BatchWriteItem, so it runs in batch mode only. Seeds are fixed per case
// and printed with every failure; SCAVENGER_FAULT_SEED=N replays a case with seed N.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "scavenger_test.hpp"
#include "support/dynamodb_proxy.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 1200;
constexpr std::int64_t survivors = 200;
constexpr std::int64_t doomed = items - survivors;

// The client's per-attempt time-out when a plan has slow faults, and how long they hold a call.
constexpr std::chrono::seconds short_request_timeout{1};  // --request-timeout takes whole seconds
constexpr std::chrono::milliseconds slow_delay{2000};

const std::array<std::string, 5> operations{"DescribeTable", "Scan", "DeleteItem", "BatchWriteItem", "GetItem"};

std::uint64_t fault_seed(std::uint64_t otherwise) {
  const char* text = std::getenv("SCAVENGER_FAULT_SEED");
  return text != nullptr && *text != '\0' ? std::stoull(text) : otherwise;
}

// What parse_summary does not read: "requests" by operation (the X-Amz-Target names), and
// the run's duration.
struct summary_requests {
  std::map<std::string, std::int64_t> by_operation;
  double duration_s = 0;
};

summary_requests requests_of(const std::string& summary_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(summary_json).get(root)) throw std::runtime_error("the summary is not JSON: " + summary_json);
  const auto requests = root["requests"];
  auto count = [&](const char* name) { return static_cast<std::int64_t>(requests[name].get_int64().value()); };
  summary_requests parsed;
  parsed.by_operation = {{"DescribeTable", count("describe_table")}, {"Scan", count("scan")}, {"DeleteItem", count("delete_item")},
                         {"BatchWriteItem", count("batch_write_item")}, {"GetItem", count("get_item")}};
  parsed.duration_s = root["duration_s"].get_double().value();
  return parsed;
}

std::uint64_t injected_on(const dynamodb_proxy& proxy, std::string_view operation) {
  std::uint64_t total = 0;
  for (const auto kind : all_fault_kinds) total += proxy.injected(kind, operation);
  return total;
}

class faults_test : public scavenger_test {
 protected:
  // Runs `mode` through a proxy with `plan` and checks what every case must end with.
  void run_through(const fault_plan& plan, const std::string& mode) {
    SCOPED_TRACE(describe(plan) + ", --delete-mode " + mode);
    const auto table = seed(items, survivors);
    dynamodb_proxy proxy(url_of(GetParam()), plan.seed);
    proxy.set_plan(plan);

    bool slow = false;
    for (const auto& [kind, rate] : plan.rates) slow = slow || is_slow(kind);
    auto arguments = with(original_rule(table, proxy.url()), {"--delete-mode", mode, "--max-attempts", "10"});
    if (slow) arguments = with(arguments, {"--request-timeout", std::to_string(short_request_timeout.count()) + "s"});

    const auto result = scavenger("run", arguments, std::chrono::seconds(90));
    ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
    const auto summary = parse_summary(result.out);
    EXPECT_TRUE(summary.complete);
    EXPECT_EQ(summary.deleted, doomed) << result.out;
    EXPECT_EQ(summary.failed, 0) << result.out;
    EXPECT_EQ(summary.skipped_changed, 0) << result.out;
    EXPECT_EQ(summary.pending, 0) << result.out;
    EXPECT_TRUE(buckets_add_up(summary)) << result.out;
    expect_exact(table, survivors);
    std::int64_t doomed_left = 0;
    const auto remaining = items_of(table);
    for (const auto& entry : remaining) doomed_left += core::original_rule_deletes(entry, seeded_at_) ? 1 : 0;
    const auto wrongly_deleted = survivors - (static_cast<std::int64_t>(remaining.size()) - doomed_left);

    EXPECT_EQ(proxy.upstream_failures(), 0u);
    const auto requests = requests_of(result.out);
    for (const auto& operation : operations) {
      EXPECT_EQ(requests.by_operation.at(operation), static_cast<std::int64_t>(proxy.calls(operation))) << operation << " in " << result.out;
    }

    std::uint64_t throttles = 0;
    for (const auto kind : all_fault_kinds) throttles += is_throttling(kind) ? proxy.injected(kind) : 0;
    EXPECT_EQ(summary.throttled, static_cast<std::int64_t>(throttles)) << result.out;
    const auto retried = static_cast<std::int64_t>(proxy.injected() - proxy.injected(fault_kind::partial_batch));
    if (slow) {
      EXPECT_GE(summary.retries, retried) << result.out;
    } else {
      EXPECT_EQ(summary.retries, retried) << result.out;
    }

    std::uint64_t lost_deletes = 0;
    for (const auto kind : all_fault_kinds) {
      if (is_forwarded(kind) && kind != fault_kind::partial_batch) lost_deletes += proxy.injected(kind, "DeleteItem");
    }
    const auto settling_reads = static_cast<std::int64_t>(proxy.calls("GetItem") - injected_on(proxy, "GetItem"));
    if (mode == "batch") {
      EXPECT_EQ(proxy.calls("GetItem"), 0u);
    } else if (lost_deletes > 0) {
      EXPECT_GE(settling_reads, 1);
      if (!slow) {
        EXPECT_LE(settling_reads, static_cast<std::int64_t>(lost_deletes));
      }
    } else if (!slow) {
      EXPECT_EQ(settling_reads, 0);
    }

    // The plan did inject what it names. Alone, each kind is frequent enough to occur in every
    // run; together, rare kinds may miss the few batch calls of a batch run.
    if (plan.rates.size() == 1 || mode == "conditional") {
      for (const auto& [kind, rate] : plan.rates) {
        if (kind == fault_kind::partial_batch && mode != "batch") continue;
        EXPECT_GT(proxy.injected(kind), 0u) << to_string(kind);
      }
    }
    EXPECT_GT(proxy.injected(), 0u);
    if (plan.rates.contains(fault_kind::partial_batch) && mode == "batch") {
      EXPECT_GT(proxy.held_back(), 0u);
    }

    // The figures of the run, for the record (grep "figures" in the test's output).
    std::string injected;
    for (const auto& [kind, rate] : plan.rates) injected += " " + std::string(to_string(kind)) + "=" + std::to_string(proxy.injected(kind));
    std::printf("[ figures  ] %s %s seed %llu:%s; held back %llu; items %lld, doomed left %lld, wrongly deleted %lld, "
                "retries %lld, throttled %lld, %.1f s\n",
                name_of(GetParam()).c_str(), mode.c_str(), static_cast<unsigned long long>(plan.seed), injected.c_str(),
                static_cast<unsigned long long>(proxy.held_back()), static_cast<long long>(items), static_cast<long long>(doomed_left),
                static_cast<long long>(wrongly_deleted), static_cast<long long>(summary.retries), static_cast<long long>(summary.throttled), requests.duration_s);
  }

  // One kind alone at `rate`, in both delete modes (batch only for partial_batch).
  void alone(fault_kind kind, double rate, std::uint64_t default_seed) {
    fault_plan plan;
    plan.seed = fault_seed(default_seed);
    plan.rates = {{kind, rate}};
    plan.slow_delay = slow_delay;
    for (const std::string mode : {"conditional", "batch"}) {
      if (kind == fault_kind::partial_batch && mode == "conditional") continue;  // no BatchWriteItem to split
      run_through(plan, mode);
      if (HasFatalFailure()) return;
    }
  }
};

TEST_P(faults_test, throughput_exceeded) { alone(fault_kind::throughput_exceeded, 0.15, 101); }
TEST_P(faults_test, throttling_exception) { alone(fault_kind::throttling, 0.15, 102); }
TEST_P(faults_test, request_limit_exceeded) { alone(fault_kind::request_limit_exceeded, 0.15, 103); }
TEST_P(faults_test, internal_server_error) { alone(fault_kind::internal_error, 0.10, 104); }
TEST_P(faults_test, service_unavailable) { alone(fault_kind::service_unavailable, 0.10, 105); }
TEST_P(faults_test, reset_before_the_request_reached_the_server) { alone(fault_kind::reset_before_forward, 0.10, 106); }
TEST_P(faults_test, reset_after_the_request_reached_the_server) { alone(fault_kind::reset_after_forward, 0.10, 107); }
TEST_P(faults_test, slower_than_the_time_out_and_never_forwarded) { alone(fault_kind::slow_before_forward, 0.10, 108); }
TEST_P(faults_test, slower_than_the_time_out_after_the_server_applied_it) { alone(fault_kind::slow_after_forward, 0.10, 109); }
TEST_P(faults_test, truncated_body) { alone(fault_kind::truncated_body, 0.10, 110); }
TEST_P(faults_test, internal_server_error_after_the_server_applied_it) { alone(fault_kind::internal_error_after_forward, 0.10, 111); }
TEST_P(faults_test, batch_answered_with_part_of_it_unprocessed) { alone(fault_kind::partial_batch, 0.20, 112); }

// All together, about 20% of the calls (30% of the batch calls, with partial batches).
TEST_P(faults_test, all_faults_together) {
  fault_plan plan;
  plan.seed = fault_seed(113);
  plan.slow_delay = slow_delay;
  plan.rates = {{fault_kind::throughput_exceeded, 0.02},  {fault_kind::throttling, 0.02},
                {fault_kind::request_limit_exceeded, 0.02}, {fault_kind::internal_error, 0.02},
                {fault_kind::service_unavailable, 0.02},   {fault_kind::reset_before_forward, 0.02},
                {fault_kind::slow_before_forward, 0.01},   {fault_kind::reset_after_forward, 0.02},
                {fault_kind::slow_after_forward, 0.01},    {fault_kind::truncated_body, 0.02},
                {fault_kind::internal_error_after_forward, 0.02}, {fault_kind::partial_batch, 0.10}};
  for (const std::string mode : {"conditional", "batch"}) {
    run_through(plan, mode);
    if (HasFatalFailure()) return;
  }
}

SCAVENGER_ON_BOTH_EMULATORS(faults_test);

}  // namespace
}  // namespace scavenger::test
