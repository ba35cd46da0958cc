// Politeness (SPEC §5), measured from outside the client: a proxy in front of the emulator
// timestamps what every delete consumed (the emulator's own ConsumedCapacity) and injects
// sustained throttling; the run's JSON debug log shows the deleters' limit once a second.
//
// - --max-wcu: the units consumed over a 20-second window stay within 10% of the budget.
// - adaptive concurrency: under sustained throttling the limit falls to half or less within
//   2 s; once the throttling stops it is back to --deleters within --deleters seconds; the
//   summary reports the lowest and the final limit.
#include <gtest/gtest.h>

#include <mutex>

#include "aws/rfc3339.hpp"
#include "scavenger_test.hpp"
#include "support/dynamodb_proxy.hpp"

namespace scavenger::test {
namespace {

using wall_clock = std::chrono::system_clock;

// Units one answer says it consumed: DeleteItem's ConsumedCapacity is an object, BatchWriteItem's
// a list of them (one per table).
double consumed_units(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root)) return 0;
  simdjson::dom::element consumed;
  if (root["ConsumedCapacity"].get(consumed)) return 0;
  double units = 0;
  if (consumed.is_array()) {
    for (auto entry : consumed.get_array()) units += entry["CapacityUnits"].get_double().value_unsafe();
  } else {
    units = consumed["CapacityUnits"].get_double().value_unsafe();
  }
  return units;
}

// What the proxy saw the deletes consume, with when.
class consumption_log {
 public:
  void record(double units) {
    std::lock_guard lock(mutex_);
    entries_.emplace_back(wall_clock::now(), units);
  }
  std::vector<std::pair<wall_clock::time_point, double>> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<wall_clock::time_point, double>> entries_;
};

bool is_delete(const proxied_call& call) { return call.operation == "DeleteItem" || call.operation == "BatchWriteItem"; }

// The units consumed in [from, from + window).
double consumed_between(const consumption_log& log, wall_clock::time_point from, std::chrono::seconds window) {
  double units = 0;
  for (const auto& [when, consumed] : log.entries()) units += when >= from && when < from + window ? consumed : 0;
  return units;
}

class capacity : public scavenger_test {
 protected:
  // Runs through a proxy that records what every delete consumed; returns the run's result.
  process_result run_recording(const std::string& table, dynamodb_proxy& proxy, consumption_log& log,
                               const std::vector<std::string>& options) {
    proxy.set_after([&log](const proxied_call& call, const http::response& upstream) {
      if (is_delete(call) && upstream.status == 200) log.record(consumed_units(upstream.body));
    });
    return scavenger("run", with(original_rule(table, proxy.url()), options), std::chrono::minutes(2));
  }

  // A budget held over the first 20 seconds of deleting (the one-second burst the bucket
  // starts with included), then the run finishes exact.
  void expect_budget_held(const std::string& mode) {
    constexpr double budget = 200;                  // WCU per second
    constexpr std::chrono::seconds window{20};
    constexpr std::int64_t survivors = 300;
    constexpr std::int64_t doomed = 5000;  // 25 s of deletes at the budget: the window fits
    const auto table = seed(doomed + survivors, survivors);
    dynamodb_proxy proxy(url_of(GetParam()), 7);
    consumption_log log;
    const auto result = run_recording(table, proxy, log, {"--delete-mode", mode, "--max-wcu", "200"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    expect_exact(table, survivors);

    const auto entries = log.entries();
    ASSERT_FALSE(entries.empty()) << "the emulator reported no ConsumedCapacity";
    double total = 0;
    for (const auto& entry : entries) total += entry.second;
    EXPECT_DOUBLE_EQ(total, static_cast<double>(doomed)) << "one WCU per deleted item of under 1 KB";
    const double in_window = consumed_between(log, entries.front().first, window);
    const double per_second = in_window / static_cast<double>(window.count());
    std::cerr << mode << " on " << name_of(GetParam()) << ": " << per_second << " WCU/s over the first " << window.count()
              << " s (budget " << budget << ")\n";
    EXPECT_GE(per_second, 0.9 * budget);
    EXPECT_LE(per_second, 1.1 * budget);
  }
};

TEST_P(capacity, max_wcu_holds_conditional_deletes_within_ten_percent_over_twenty_seconds) {
  expect_budget_held("conditional");
}

TEST_P(capacity, max_wcu_holds_batch_deletes_within_ten_percent_over_twenty_seconds) { expect_budget_held("batch"); }

// The deleters' limit from the run's JSON debug lines ("deleters", once a second), with when.
struct limit_sample {
  wall_clock::time_point when;
  int limit = 0;
};

std::vector<limit_sample> limit_samples(const std::string& err) {
  std::vector<limit_sample> samples;
  simdjson::dom::parser parser;
  std::size_t begin = 0;
  while (begin < err.size()) {
    auto end = err.find('\n', begin);
    if (end == std::string::npos) end = err.size();
    const std::string line = err.substr(begin, end - begin);
    begin = end + 1;
    simdjson::dom::element entry;
    std::string_view message, time, limit;
    if (parser.parse(line).get(entry) || entry["message"].get(message) || message != "deleters") continue;
    if (entry["time"].get(time) || entry["in_flight_limit"].get(limit)) continue;
    auto when = aws::parse_rfc3339(time);
    if (!when) continue;
    samples.push_back({*when, std::stoi(std::string(limit))});
  }
  return samples;
}

TEST_P(capacity, sustained_throttling_halves_the_deleters_and_they_come_back_after) {
  constexpr int deleters = 8;
  constexpr std::int64_t survivors = 300;
  const auto table = seed(4000 + survivors, survivors);
  dynamodb_proxy proxy(url_of(GetParam()), 11);
  // Every delete is throttled from 2 s after the first delete until 7 s after it.
  std::mutex mutex;
  std::optional<wall_clock::time_point> first_delete, first_throttle, last_throttle;
  proxy.set_before([&](const proxied_call& call) -> std::optional<fixture_response> {
    if (!is_delete(call)) return std::nullopt;
    std::lock_guard lock(mutex);
    const auto now = wall_clock::now();
    if (!first_delete) first_delete = now;
    if (now < *first_delete + std::chrono::seconds(2) || now >= *first_delete + std::chrono::seconds(7)) return std::nullopt;
    if (!first_throttle) first_throttle = now;
    last_throttle = now;
    return throttling_exception();
  });
  consumption_log log;
  // Held to 200 WCU/s, the 4,000 deletes take ~20 s besides the 5 s of throttling: long enough
  // to see the way back.
  const auto result = run_recording(table, proxy, log, {"--deleters", std::to_string(deleters), "--max-wcu", "200",
                                                        "--log-level", "debug", "--log-format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_exact(table, survivors);
  ASSERT_TRUE(first_throttle && last_throttle) << "no delete was throttled";

  const auto samples = limit_samples(result.err);
  ASSERT_GE(samples.size(), 10u) << "one debug line a second:\n" << result.err.substr(0, 2000);
  int while_throttled = 0, after_recovery = 0;
  for (const auto& sample : samples) {
    if (sample.when >= *first_throttle + std::chrono::seconds(2) && sample.when <= *last_throttle) {
      ++while_throttled;
      EXPECT_LE(sample.limit, deleters / 2) << "still over half 2 s into sustained throttling";
    }
    if (sample.when >= *last_throttle + std::chrono::seconds(deleters)) {
      ++after_recovery;
      EXPECT_EQ(sample.limit, deleters) << "not back to --deleters " << deleters << " s after the throttling stopped";
    }
  }
  EXPECT_GE(while_throttled, 1) << "no debug line while throttled";
  EXPECT_GE(after_recovery, 1) << "the run ended before the recovery could be seen";

  simdjson::dom::parser parser;
  const auto summary = parser.parse(result.out);
  EXPECT_LE(summary["deleters"]["lowest"].get_int64().value(), deleters / 2) << result.out;
  EXPECT_EQ(summary["deleters"]["final"].get_int64().value(), deleters) << result.out;
  EXPECT_EQ(summary["deleters"]["limit"].get_int64().value(), deleters) << result.out;
  EXPECT_EQ(summary["requests"]["throttled"].get_int64().value(), static_cast<std::int64_t>(proxy.faults())) << result.out;
}

SCAVENGER_ON_BOTH_EMULATORS(capacity);

}  // namespace
}  // namespace scavenger::test
