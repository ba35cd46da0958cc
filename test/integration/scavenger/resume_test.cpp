// Stopping and resuming (SPEC §6): a deadline, SIGTERM or SIGKILL at any moment, then --resume
// from the checkpoint, ends with exactly the right items deleted.
#include <csignal>
#include <filesystem>
#include <thread>

#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

constexpr std::int64_t items = 6000;
constexpr std::int64_t survivors = 500;

class resume : public scavenger_test {
 protected:
  std::string checkpoint_path() {
    auto path = std::filesystem::temp_directory_path() / (unique_table_name("checkpoint") + ".json");
    checkpoints_.push_back(path);
    return path.string();
  }

  void TearDown() override {
    for (const auto& path : checkpoints_) std::filesystem::remove(path);
    scavenger_test::TearDown();
  }

  // Held to 500 WCU/s, a run over 5,500 deletes takes more than 10 s on either emulator: long
  // enough to be interrupted at a chosen moment.
  std::vector<std::string> slow_run(const std::string& table, const std::string& checkpoint) {
    return with(original_rule(table), {"--deleters", "4", "--segments", "4", "--page-size", "100", "--checkpoint", checkpoint,
                                       "--checkpoint-interval", "1s", "--max-wcu", "500"});
  }

  // Resumes until complete (bounded), then checks the table.
  void resume_until_complete(const std::string& table, const std::string& checkpoint) {
    for (int round = 0; round < 20; ++round) {
      // The same segments (a resume must match the checkpoint); another delete mode is fine.
      auto result = scavenger("run", with(original_rule(table), {"--resume", checkpoint, "--checkpoint", checkpoint,
                                                                 "--segments", "4", "--delete-mode", "batch"}));
      ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 3) << result.err;
      auto summary = parse_summary(result.out);
      EXPECT_TRUE(buckets_add_up(summary)) << result.out;
      if (result.exit_code == 0) {
        EXPECT_TRUE(summary.complete);
        expect_exact(table, survivors);
        return;
      }
    }
    FAIL() << "the resumed runs never completed";
  }

  std::vector<std::filesystem::path> checkpoints_;
};

TEST_P(resume, a_timeout_exits_3_promptly_with_cursors_and_resumes_exact) {
  auto table = seed(items, survivors);
  auto checkpoint = checkpoint_path();
  auto result = scavenger("run", with(slow_run(table, checkpoint), {"--timeout", "2s"}));
  ASSERT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(result.elapsed, std::chrono::seconds(3)) << "exit within 1 s after the deadline";
  auto summary = parse_summary(result.out);
  EXPECT_FALSE(summary.complete);
  EXPECT_EQ(summary.cursors, 4u) << "every owned segment listed";
  EXPECT_TRUE(buckets_add_up(summary)) << result.out;
  EXPECT_GT(summary.deleted, 0);
  EXPECT_TRUE(std::filesystem::exists(checkpoint));
  resume_until_complete(table, checkpoint);
}

TEST_P(resume, sigterm_writes_the_checkpoint_and_exits_3) {
  auto table = seed(items, survivors);
  auto checkpoint = checkpoint_path();
  child_process child(scavenger_binary(), with({"run"}, slow_run(table, checkpoint)), environment());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(child.running()) << child.current_stderr();
  child.send_signal(SIGTERM);
  auto result = child.wait(std::chrono::seconds(10));
  ASSERT_EQ(result.exit_code, 3) << result.err;
  auto summary = parse_summary(result.out);
  EXPECT_FALSE(summary.complete);
  EXPECT_TRUE(buckets_add_up(summary));
  resume_until_complete(table, checkpoint);
}

TEST_P(resume, sigkill_then_resume_from_the_last_checkpoint_is_exact) {
  auto table = seed(items, survivors);
  auto checkpoint = checkpoint_path();
  {
    child_process child(scavenger_binary(), with({"run"}, slow_run(table, checkpoint)), environment());
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    ASSERT_TRUE(child.running()) << child.current_stderr();
    child.send_signal(SIGKILL);
    auto result = child.wait(std::chrono::seconds(10));
    EXPECT_EQ(result.signal, SIGKILL);
  }
  ASSERT_TRUE(std::filesystem::exists(checkpoint));
  EXPECT_FALSE(std::filesystem::exists(checkpoint + ".tmp")) << "no half-written checkpoint";
  resume_until_complete(table, checkpoint);
}

TEST_P(resume, a_checkpoint_of_another_run_is_refused) {
  auto table = seed(200, 20);
  auto checkpoint = checkpoint_path();
  auto first = scavenger("run", with(original_rule(table), {"--max-deletes", "10", "--checkpoint", checkpoint, "--deleters", "1"}));
  ASSERT_EQ(first.exit_code, 3) << first.err;
  EXPECT_EQ(parse_summary(first.out).deleted, 10);
  auto other = scavenger("run", with(original_rule(table), {"--resume", checkpoint, "--segments", "3"}));
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("total_segments"), std::string::npos) << other.err;
}

SCAVENGER_ON_BOTH_EMULATORS(resume);

}  // namespace
}  // namespace scavenger::test
