#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "aws_test_helpers.hpp"
#include "support/http_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

using testing::scripted_provider;
using testing::static_credentials;
using testing::temp_directory;

std::vector<std::unique_ptr<credentials_provider>> providers_of(std::vector<std::unique_ptr<scripted_provider>> in) {
  std::vector<std::unique_ptr<credentials_provider>> out;
  for (auto& provider : in) out.push_back(std::move(provider));
  return out;
}

class CredentialsChain : public ::testing::Test {
 protected:
  credentials_result fetch(credentials_provider& provider) { return test::run(io_, provider.fetch()); }
  boost::asio::io_context io_;
  int calls_[3] = {0, 0, 0};
};

TEST_F(CredentialsChain, TheFirstProviderWithCredentialsWins) {
  std::vector<std::unique_ptr<scripted_provider>> providers;
  providers.push_back(std::make_unique<scripted_provider>("first", std::vector<credentials_result>{static_credentials("A", "a")}, &calls_[0]));
  providers.push_back(std::make_unique<scripted_provider>("second", std::vector<credentials_result>{static_credentials("B", "b")}, &calls_[1]));
  auto chain = make_chain(providers_of(std::move(providers)));
  const auto result = fetch(*chain);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "A");
  EXPECT_EQ(calls_[0], 1);
  EXPECT_EQ(calls_[1], 0);
}

TEST_F(CredentialsChain, FailingSourcesAreSkipped) {
  std::vector<std::unique_ptr<scripted_provider>> providers;
  providers.push_back(std::make_unique<scripted_provider>("first", std::vector<credentials_result>{credentials_error{"not here"}}, &calls_[0]));
  providers.push_back(std::make_unique<scripted_provider>("second", std::vector<credentials_result>{credentials_error{"nor here"}}, &calls_[1]));
  providers.push_back(std::make_unique<scripted_provider>("third", std::vector<credentials_result>{static_credentials("C", "c")}, &calls_[2]));
  auto chain = make_chain(providers_of(std::move(providers)));
  const auto result = fetch(*chain);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "C");
  EXPECT_EQ(calls_[0] + calls_[1] + calls_[2], 3);
}

TEST_F(CredentialsChain, ABrokenSourceStopsTheChain) {
  std::vector<std::unique_ptr<scripted_provider>> providers;
  providers.push_back(std::make_unique<scripted_provider>("broken", std::vector<credentials_result>{credentials_error{"half a key pair", true}}, &calls_[0]));
  providers.push_back(std::make_unique<scripted_provider>("fallback", std::vector<credentials_result>{static_credentials("B", "b")}, &calls_[1]));
  auto chain = make_chain(providers_of(std::move(providers)));
  const auto result = fetch(*chain);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("broken: half a key pair"), std::string::npos) << result.error().message;
  EXPECT_EQ(calls_[1], 0);
}

TEST_F(CredentialsChain, WhenAllFailTheMessageListsEachReasonOnOneLine) {
  std::vector<std::unique_ptr<scripted_provider>> providers;
  providers.push_back(std::make_unique<scripted_provider>("first", std::vector<credentials_result>{credentials_error{"reason one"}}, &calls_[0]));
  providers.push_back(std::make_unique<scripted_provider>("second", std::vector<credentials_result>{credentials_error{"reason\ntwo"}}, &calls_[1]));
  auto chain = make_chain(providers_of(std::move(providers)));
  const auto result = fetch(*chain);
  ASSERT_FALSE(result.has_value());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("first: reason one; second: reason two"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << message;
}

// The default chain, with real sources: HOME is an empty temp dir, IMDS points at a fixture or is
// disabled, so nothing leaves 127.0.0.0/8.
class DefaultChain : public ::testing::Test {
 protected:
  DefaultChain() : env_({{"HOME", dir_.path()}, {"AWS_EC2_METADATA_DISABLED", "true"}}) {}

  credentials_result fetch(std::optional<std::string> profile = std::nullopt) {
    auto chain = make_default_chain(io_.get_executor(), env_, std::move(profile));
    return test::run(io_, chain->fetch());
  }

  static test::fixture_response credentials_json(const std::string& access_key_id) {
    return {200, {}, R"({"Code":"Success","AccessKeyId":")" + access_key_id +
                         R"(","SecretAccessKey":"s","Token":"t","Expiration":"2026-11-24T12:00:00Z"})"};
  }

  void set_environment_keys() {
    env_.set("AWS_ACCESS_KEY_ID", "AKID-ENV");
    env_.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  }
  void write_profiles() {
    dir_.write(".aws/credentials",
               "[default]\naws_access_key_id = AKID-PROFILE\naws_secret_access_key = profile-secret\n"
               "[dev]\naws_access_key_id = AKID-DEV\naws_secret_access_key = dev-secret\n");
  }

  boost::asio::io_context io_;
  temp_directory dir_;
  map_environment env_;
};

TEST_F(DefaultChain, EnvironmentBeatsProfile) {
  set_environment_keys();
  write_profiles();
  EXPECT_EQ(fetch().value().access_key_id, "AKID-ENV");
  env_.set("AWS_PROFILE", "dev");  // AWS_PROFILE does not outrank keys in the environment
  EXPECT_EQ(fetch().value().access_key_id, "AKID-ENV");
}

TEST_F(DefaultChain, AnExplicitProfileFlagLeavesTheEnvironmentOut) {
  set_environment_keys();
  write_profiles();
  EXPECT_EQ(fetch(std::string("dev")).value().access_key_id, "AKID-DEV");
}

TEST_F(DefaultChain, ProfileBeatsContainer) {
  test::http_fixture container([](const test::fixture_request&) { return credentials_json("ASIA-CONTAINER"); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds");
  write_profiles();
  EXPECT_EQ(fetch().value().access_key_id, "AKID-PROFILE");
  EXPECT_TRUE(container.requests().empty());
}

TEST_F(DefaultChain, ContainerBeatsImds) {
  test::http_fixture container([](const test::fixture_request&) { return credentials_json("ASIA-CONTAINER"); });
  test::http_fixture imds([](const test::fixture_request&) { return test::fixture_response{500, {}, ""}; });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds");
  env_.set("AWS_EC2_METADATA_DISABLED", "");
  env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  EXPECT_EQ(fetch().value().access_key_id, "ASIA-CONTAINER");
  EXPECT_TRUE(imds.requests().empty());
}

TEST_F(DefaultChain, ImdsComesLast) {
  test::http_fixture imds([](const test::fixture_request& request) {
    if (request.method == "PUT") return test::fixture_response{200, {}, "token"};
    if (request.target == "/latest/meta-data/iam/security-credentials/") return test::fixture_response{200, {}, "role"};
    return credentials_json("ASIA-IMDS");
  });
  env_.set("AWS_EC2_METADATA_DISABLED", "");
  env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  EXPECT_EQ(fetch().value().access_key_id, "ASIA-IMDS");
}

TEST_F(DefaultChain, WhenNothingIsConfiguredEachSourceSaysWhy) {
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  const std::string& message = result.error().message;
  for (const char* part : {"environment: ", "profile default: ", "container: ", "imds: ", "AWS_EC2_METADATA_DISABLED",
                           "--profile"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in: " << message;
  }
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST_F(DefaultChain, HalfAKeyPairInTheEnvironmentStopsTheChainWithoutShowingTheSecret) {
  env_.set("AWS_SECRET_ACCESS_KEY", "env-secret-never-shown");
  write_profiles();
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("env-secret-never-shown"), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace scavenger::aws
