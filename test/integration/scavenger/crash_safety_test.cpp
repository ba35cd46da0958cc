// Crash safety (SPEC §6): a run killed with SIGKILL at random moments — while it scans, deletes
// or writes its checkpoint — and resumed from its checkpoint each time ends exact, and every
// checkpoint it left behind is whole. The moments come from a seeded generator: a failure
// prints the seed, and SCAVENGER_TEST_SEED=N replays it.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "scavenger/checkpoint.hpp"
#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 8000;
constexpr std::int64_t survivors = 500;
constexpr int kills = 6;

std::uint64_t test_seed() {
  if (const char* given = std::getenv("SCAVENGER_TEST_SEED")) return std::strtoull(given, nullptr, 10);
  return std::random_device{}();
}

class crash_safety : public scavenger_test {
 protected:
  void TearDown() override {
    std::filesystem::remove_all(directory_);
    scavenger_test::TearDown();
  }

  // Stale "checkpoint.tmp.PID" files: a kill in the middle of a write leaves its temporary file,
  // never a half-written checkpoint.
  int temporaries() const {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
      count += entry.path().filename().string().starts_with("checkpoint.json.tmp.") ? 1 : 0;
    }
    return count;
  }

  std::filesystem::path directory_ = std::filesystem::temp_directory_path() / unique_table_name("crash");
};

TEST_P(crash_safety, sigkill_at_random_moments_and_resume_each_time_ends_exact) {
  const auto seed_value = test_seed();
  SCOPED_TRACE("SCAVENGER_TEST_SEED=" + std::to_string(seed_value));
  std::mt19937_64 random(seed_value);
  // From just after start (describing the table, first Scan pages) to well into the deletes.
  std::uniform_int_distribution<int> moment_ms(50, 2500);

  std::filesystem::create_directories(directory_);
  const auto checkpoint = (directory_ / "checkpoint.json").string();
  auto table = seed(items, survivors);
  // Checkpoints at the start and every second (kills may land in the middle of writing one);
  // held to 400 WCU/s, six kills within 2.5 s each (at most ~7,000 deletes) leave work for the final resume.
  const auto killed_run = with(original_rule(table), {"--segments", "4", "--page-size", "100", "--deleters", "8",
                                                      "--checkpoint", checkpoint, "--checkpoint-interval", "1s",
                                                      "--max-wcu", "400"});
  int killed = 0;
  for (int round = 0; round < kills; ++round) {
    auto arguments = killed_run;
    if (round > 0) arguments = with(arguments, {"--resume", checkpoint});
    if (round % 2 == 1) arguments = with(arguments, {"--delete-mode", "batch"});
    child_process child(scavenger_binary(), with({"run"}, arguments), environment());
    const auto moment = std::chrono::milliseconds(moment_ms(random));
    std::this_thread::sleep_for(moment);
    ASSERT_TRUE(child.running()) << "round " << round << " ended before its kill at " << moment.count()
                                 << " ms: " << child.current_stderr();
    child.send_signal(SIGKILL);
    auto result = child.wait(std::chrono::seconds(10));
    ASSERT_EQ(result.signal, SIGKILL);
    ++killed;

    ASSERT_TRUE(std::filesystem::exists(checkpoint)) << "round " << round << ": the checkpoint is written at the start";
    auto saved = core::load_checkpoint(checkpoint);
    ASSERT_TRUE(saved) << "round " << round << ", killed at " << moment.count() << " ms: " << saved.error().message;
    EXPECT_EQ(saved->table, table);
  }
  EXPECT_EQ(killed, kills);
  std::cerr << "stale temporary checkpoint files (kills mid-write): " << temporaries() << "\n";

  for (int round = 0; round < 10; ++round) {
    auto result = scavenger("run", with(original_rule(table), {"--segments", "4", "--resume", checkpoint, "--checkpoint",
                                                               checkpoint, "--delete-mode", "batch"}));
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 3) << result.err;
    auto summary = parse_summary(result.out);
    EXPECT_TRUE(buckets_add_up(summary)) << result.out;
    if (result.exit_code == 0) {
      EXPECT_TRUE(summary.complete);
      EXPECT_EQ(summary.failed, 0);
      expect_exact(table, survivors);
      return;
    }
  }
  FAIL() << "the resumed runs never completed";
}

SCAVENGER_ON_BOTH_EMULATORS(crash_safety);

}  // namespace
}  // namespace scavenger::test
