#pragma once
// Base of the scavenger's integration tests: seed a table of the original's shape on one of
// the emulators, run the real `scavenger` binary against it, and check the outcome against
// ground truth (the original's rule applied to what is left in the table).

#include <simdjson.h>

#include "../dynamodb/emulator_test.hpp"
#include "scavenger/seed.hpp"
#include "scavenger/worker_item.hpp"
#include "support/process.hpp"

namespace scavenger::test {

// The counts of a summary on stdout (SPEC §8).
struct summary_counts {
  std::int64_t scanned = -1, matched = -1, deleted = -1, skipped_young = -1, skipped_invalid = -1, skipped_changed = -1,
               failed = -1, pending = -1, would_delete = -1;
  bool complete = false;
  std::size_t cursors = 0;
  std::int64_t retries = -1, throttled = -1;
};

inline summary_counts parse_summary(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root)) throw std::runtime_error("the summary is not JSON: " + json);
  summary_counts parsed;
  auto counts = root["counts"];
  auto count = [&](const char* name) { return static_cast<std::int64_t>(counts[name].get_int64().value()); };
  parsed.scanned = count("scanned");
  parsed.matched = count("matched");
  parsed.deleted = count("deleted");
  parsed.skipped_young = count("skipped_young");
  parsed.skipped_invalid = count("skipped_invalid");
  parsed.skipped_changed = count("skipped_changed");
  parsed.failed = count("failed");
  parsed.pending = count("pending");
  parsed.would_delete = count("would_delete");
  parsed.complete = root["complete"].get_bool().value();
  parsed.cursors = root["cursors"].get_array().size();
  parsed.retries = root["requests"]["retries"].get_int64().value();
  parsed.throttled = root["requests"]["throttled"].get_int64().value();
  return parsed;
}

// SPEC §2: every matched item is in exactly one bucket.
inline bool buckets_add_up(const summary_counts& c) {
  return c.matched == c.skipped_young + c.skipped_invalid + c.deleted + c.skipped_changed + c.failed + c.pending + c.would_delete;
}

class scavenger_test : public emulator_test {
 protected:
  // Seeds `items` items of which `survivors` survive the original's rule now.
  std::string seed(std::int64_t items, std::int64_t survivors) {
    auto table = unique_table_name("sc-" + name_of(GetParam()));
    core::seed_settings settings;
    settings.table = table;
    settings.items = items;
    settings.survivors = survivors;
    settings.now = std::chrono::system_clock::now();
    seeded_at_ = settings.now;
    auto report = await(core::seed_table(*client_, settings));
    if (!report) throw std::runtime_error("seed failed: " + report.error().message);
    tables_.push_back(table);
    return table;
  }

  // The original's predicate as scavenger options, against the test's emulator or `endpoint`
  // (a proxy in front of it, a TLS emulator).
  std::vector<std::string> original_rule(const std::string& table, const std::string& endpoint = "") const {
    return {"--table", table, "--endpoint-url", endpoint.empty() ? url_of(GetParam()) : endpoint,
            "--filter", "#Comp = :NCompl OR #Comp = :SCompl",
            "--expression-attribute-names", R"({"#Comp":"Completed"})",
            "--expression-attribute-values", R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})",
            "--older-than", "48h", "--age-attribute", "StartExecutionTime"};
  }

  static std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  }

  // Credentials for the emulators (they check no signature) and no proxy.
  static std::map<std::string, std::string> environment() {
    return {{"AWS_ACCESS_KEY_ID", "AKIDSCAVENGERTEST"}, {"AWS_SECRET_ACCESS_KEY", "scavenger-test-secret"},
            {"AWS_REGION", "us-east-1"}, {"AWS_PROFILE", ""}, {"HTTP_PROXY", ""}, {"HTTPS_PROXY", ""},
            {"http_proxy", ""}, {"https_proxy", ""}};
  }

  process_result scavenger(const std::string& command, const std::vector<std::string>& arguments,
                           std::chrono::steady_clock::duration limit = std::chrono::minutes(5)) {
    return run_process(scavenger_binary(), with({command}, arguments), environment(), limit);
  }

  std::vector<dynamodb::item> items_of(const std::string& table) {
    dynamodb::scan_request request;
    request.table = table;
    request.consistent_read = true;
    return scan_all(request);
  }

  // Exactly the survivors remain: none of the remaining items is one the rule deletes (as of
  // the seeding), and there are as many as were seeded to survive.
  void expect_exact(const std::string& table, std::int64_t survivors) {
    auto remaining = items_of(table);
    EXPECT_EQ(static_cast<std::int64_t>(remaining.size()), survivors);
    std::int64_t wrongly_kept = 0;
    for (const auto& entry : remaining) wrongly_kept += core::original_rule_deletes(entry, seeded_at_) ? 1 : 0;
    EXPECT_EQ(wrongly_kept, 0) << "items the rule deletes are still there";
  }

  std::chrono::system_clock::time_point seeded_at_;
};

}  // namespace scavenger::test
