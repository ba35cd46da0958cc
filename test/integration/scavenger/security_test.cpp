// Security as tests (SPEC §7, issue "Reliability and security"):
// - no secret — the secret access key, the session token — ever reaches stdout, stderr, the
//   summary, a checkpoint or the deleted-keys log, at debug level and in error messages too;
// - TLS verification cannot be bypassed by accident: a endpoint whose certificate does not
//   chain to a trusted CA is refused (exit 1, nothing deleted) unless its CA is given, and a
//   certificate for another host is refused even then.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

// Distinctive values, so that a match anywhere can only be a leak.
constexpr const char* access_key = "AKIDLEAKCHECK0001";
constexpr const char* secret_key = "leakcheck/SECRET+wJalrXUtnFEMIK7MDENGbPxRfiCY";
constexpr const char* session_token = "leakcheckSESSIONTOKEN//IQoJb3JpZ2luX2VjEJr0000000000000000000000000000";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class secrets : public scavenger_test {
 protected:
  void TearDown() override {
    std::filesystem::remove_all(directory_);
    scavenger_test::TearDown();
  }

  // The environment of a user with temporary credentials, in the environment or in a profile.
  std::map<std::string, std::string> with_secrets(bool in_profile) {
    auto variables = environment();
    if (!in_profile) {
      variables["AWS_ACCESS_KEY_ID"] = access_key;
      variables["AWS_SECRET_ACCESS_KEY"] = secret_key;
      variables["AWS_SESSION_TOKEN"] = session_token;
      return variables;
    }
    std::filesystem::create_directories(directory_);
    const auto credentials = directory_ / "credentials";
    std::ofstream(credentials) << "[leakcheck]\naws_access_key_id = " << access_key << "\naws_secret_access_key = " << secret_key
                               << "\naws_session_token = " << session_token << "\n";
    variables["AWS_ACCESS_KEY_ID"] = "";
    variables["AWS_SECRET_ACCESS_KEY"] = "";
    variables["AWS_SHARED_CREDENTIALS_FILE"] = credentials.string();
    variables["AWS_CONFIG_FILE"] = (directory_ / "no-config").string();
    variables["AWS_PROFILE"] = "leakcheck";
    return variables;
  }

  // Everything a run wrote: stdout, stderr and the files it was told to write.
  void expect_no_secret(const process_result& result, const std::string& what) {
    std::string written = result.out + result.err;
    if (std::filesystem::exists(directory_)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(directory_)) {
        if (entry.is_regular_file() && entry.path().filename() != "credentials") written += read_file(entry.path());
      }
    }
    EXPECT_EQ(written.find(secret_key), std::string::npos) << what << ": the secret access key leaked";
    EXPECT_EQ(written.find(session_token), std::string::npos) << what << ": the session token leaked";
    // The tail of the secret, in case something printed a truncated or escaped form.
    EXPECT_EQ(written.find("wJalrXUtnFEMIK7MDENGbPxRfiCY"), std::string::npos) << what;
    EXPECT_EQ(written.find("IQoJb3JpZ2luX2VjEJr"), std::string::npos) << what;
  }

  std::filesystem::path directory_ = std::filesystem::temp_directory_path() / unique_table_name("secrets");
};

TEST_P(secrets, never_appear_in_output_logs_checkpoints_or_errors) {
  const auto table = seed(400, 100);
  std::filesystem::create_directories(directory_);
  const auto checkpoint = (directory_ / "checkpoint.json").string();
  const auto deleted = (directory_ / "deleted.jsonl").string();
  const std::vector<std::string> debug{"--log-level", "debug", "--progress", "always"};
  int runs = 0;
  for (bool in_profile : {false, true}) {
    const auto variables = with_secrets(in_profile);
    const std::string where = in_profile ? "credentials from a profile" : "credentials from the environment";
    auto run = [&](const std::string& command, const std::vector<std::string>& arguments) {
      auto result = run_process(scavenger_binary(), with({command}, arguments), variables, std::chrono::minutes(2));
      ++runs;
      expect_no_secret(result, where + ", " + command + " " + testing::PrintToString(arguments));
      return result;
    };

    // A whole run at debug level, in both log formats and both summary formats.
    auto planned = run("plan", with(original_rule(table), with(debug, {"--log-format", "json"})));
    EXPECT_EQ(planned.exit_code, 0) << planned.err;
    auto ran = run("run", with(original_rule(table), with(debug, {"--checkpoint", checkpoint, "--deleted-log", deleted,
                                                                   "--output", "text", "--segments", "2"})));
    EXPECT_EQ(ran.exit_code, 0) << ran.err;
    // Errors: a missing table, an endpoint that refuses connections, a rejected filter, a bad flag.
    auto missing = run("run", with(original_rule(table + "-missing"), debug));
    EXPECT_EQ(missing.exit_code, 1);
    auto refused = run("plan", with(debug, {"--table", table, "--endpoint-url", "http://127.0.0.1:1", "--all",
                                            "--max-attempts", "2"}));
    EXPECT_EQ(refused.exit_code, 1);
    auto rejected = run("plan", with(debug, {"--table", table, "--endpoint-url", url_of(GetParam()), "--filter", "#nope = :x"}));
    EXPECT_NE(rejected.exit_code, 0);
    auto bad_flag = run("run", with(debug, {"--table", table, "--no-such-flag"}));
    EXPECT_EQ(bad_flag.exit_code, 2);
  }
  EXPECT_EQ(runs, 12);
  expect_exact(table, 100);
}

SCAVENGER_ON_BOTH_EMULATORS(secrets);

// TLS, through the real binary, against dynalite serving a certificate of the tests' own CA.
class tls_verification : public scavenger_test {};

TEST_P(tls_verification, an_untrusted_certificate_is_refused_unless_its_ca_is_given) {
  const auto& endpoints = emulators();
  const auto table = unique_table_name("tls");
  auto seeded = scavenger("seed", {"--table", table, "--items", "300", "--survivors", "100", "--endpoint-url",
                                   endpoints.dynalite_tls, "--ca-bundle", endpoints.test_ca});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  const auto rule = original_rule(table, endpoints.dynalite_tls);

  // Not trusted: refused with a one-line reason, nothing deleted.
  auto refused = scavenger("run", with(rule, {"--max-attempts", "2"}));
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.err.find("certificate"), std::string::npos) << refused.err;
  // Another host's certificate, even with the CA that signed it.
  auto wrong_host = scavenger("plan", with(original_rule(table, endpoints.dynalite_tls_wrong_host), {"--ca-bundle", endpoints.test_ca, "--max-attempts", "2"}));
  EXPECT_EQ(wrong_host.exit_code, 1) << wrong_host.out;
  EXPECT_NE(wrong_host.err.find("mismatch"), std::string::npos) << wrong_host.err;

  // Nothing was deleted by the refused runs: all 200 doomed items are still there.
  auto counted = scavenger("plan", with(rule, {"--ca-bundle", endpoints.test_ca}));
  ASSERT_EQ(counted.exit_code, 0) << counted.err;
  EXPECT_EQ(parse_summary(counted.out).would_delete, 200) << counted.out;

  // Trusted through --ca-bundle, or AWS_CA_BUNDLE as the AWS CLI reads it: the run works.
  auto trusted = run_process(scavenger_binary(), with({"run"}, rule),
                             [&] { auto v = environment(); v["AWS_CA_BUNDLE"] = endpoints.test_ca; return v; }());
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_EQ(parse_summary(trusted.out).deleted, 200) << trusted.out;

  // No flag or variable turns verification off.
  auto help = scavenger("run", {"--help"});
  for (const char* bypass : {"insecure", "no-verify", "verify-ssl", "skip-tls"}) {
    EXPECT_EQ(help.out.find(bypass), std::string::npos) << "--help offers " << bypass;
  }
}

// One TLS emulator: the parameter only names the suite's run.
INSTANTIATE_TEST_SUITE_P(dynalite, tls_verification, ::testing::Values(emulator::dynalite), emulator_param_name);

}  // namespace
}  // namespace scavenger::test
