#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "aws_test_helpers.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

using testing::temp_directory;

constexpr const char* secret = "profile-secret-never-shown";

class ProfileCredentials : public ::testing::Test {
 protected:
  ProfileCredentials() : env_({{"HOME", dir_.path()}}) {}

  credentials_result fetch(std::optional<std::string> profile = std::nullopt) {
    auto provider = make_profile_provider(env_, std::move(profile));
    return test::run(io_, provider->fetch());
  }

  void expect_secret_free(const credentials_result& result) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message.find(secret), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find('\n'), std::string::npos) << result.error().message;
  }

  boost::asio::io_context io_;
  temp_directory dir_;
  map_environment env_;
};

TEST_F(ProfileCredentials, DefaultProfileFromTheCredentialsFile) {
  dir_.write(".aws/credentials",
             "# keys for the tests\n"
             "[default]\n"
             "aws_access_key_id = AKIDDEFAULT\n"
             "aws_secret_access_key = " + std::string(secret) + "\n"
             "aws_session_token = default-token\n");
  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(result->secret_access_key, secret);
  EXPECT_EQ(result->session_token, "default-token");
  EXPECT_FALSE(result->expiration.has_value());
}

TEST_F(ProfileCredentials, SelectionFlagBeatsAwsProfileBeatsDefault) {
  dir_.write(".aws/credentials",
             "[default]\naws_access_key_id = AKID-DEFAULT\naws_secret_access_key = s1\n"
             "[from-env]\naws_access_key_id = AKID-ENV\naws_secret_access_key = s2\n"
             "[from-flag]\naws_access_key_id = AKID-FLAG\naws_secret_access_key = s3\n");
  EXPECT_EQ(fetch().value().access_key_id, "AKID-DEFAULT");
  env_.set("AWS_PROFILE", "from-env");
  EXPECT_EQ(fetch().value().access_key_id, "AKID-ENV");
  EXPECT_EQ(fetch(std::string("from-flag")).value().access_key_id, "AKID-FLAG");
  EXPECT_EQ(make_profile_provider(env_, std::string("from-flag"))->name(), "profile from-flag");
}

TEST_F(ProfileCredentials, ConfigFileProfileSyntaxAndCredentialsFilePrecedence) {
  dir_.write(".aws/config",
             "[profile dev]\n"
             "; keys in the config file work too\n"
             "aws_access_key_id = AKID-CONFIG\n"
             "aws_secret_access_key = config-secret\n"
             "[dev]\n"
             "aws_access_key_id = AKID-NOT-A-PROFILE\n");
  auto result = fetch(std::string("dev"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKID-CONFIG");
  EXPECT_EQ(result->secret_access_key, "config-secret");

  dir_.write(".aws/credentials", "[dev]\naws_access_key_id = AKID-CREDENTIALS\n");
  result = fetch(std::string("dev"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKID-CREDENTIALS");
  EXPECT_EQ(result->secret_access_key, "config-secret");
}

TEST_F(ProfileCredentials, FilesNamedByTheEnvironment) {
  env_.set("AWS_SHARED_CREDENTIALS_FILE", dir_.write("custom/creds", "[ci]\naws_access_key_id = AKID-CI\naws_secret_access_key = ci\n"));
  env_.set("AWS_CONFIG_FILE", dir_.path() + "/custom/no-config");
  const auto result = fetch(std::string("ci"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKID-CI");
}

TEST_F(ProfileCredentials, MissingFilesLetTheChainMoveOnForTheDefaultProfile) {
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("'default'"), std::string::npos) << result.error().message;
}

TEST_F(ProfileCredentials, UnknownSelectedProfileNamesItAndTheFilesAndStopsTheChain) {
  dir_.write(".aws/credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = " + std::string(secret) + "\n");
  const auto result = fetch(std::string("typo"));
  expect_secret_free(result);
  EXPECT_TRUE(result.error().stops_chain);
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("'typo'"), std::string::npos) << message;
  EXPECT_NE(message.find(dir_.path() + "/.aws/credentials"), std::string::npos) << message;
  EXPECT_NE(message.find(dir_.path() + "/.aws/config"), std::string::npos) << message;

  env_.set("AWS_PROFILE", "typo-from-env");
  const auto from_env = fetch();
  ASSERT_FALSE(from_env.has_value());
  EXPECT_TRUE(from_env.error().stops_chain);
  EXPECT_NE(from_env.error().message.find("'typo-from-env'"), std::string::npos) << from_env.error().message;
}

TEST_F(ProfileCredentials, ProfileWithoutKeysLetsTheChainMoveOnUnlessSelected) {
  dir_.write(".aws/config", "[default]\nregion = us-east-1\n[profile regional]\nregion = eu-west-1\n");
  auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("aws_access_key_id"), std::string::npos) << result.error().message;
  result = fetch(std::string("regional"));
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
}

TEST_F(ProfileCredentials, HalfAKeyPairNamesTheMissingKey) {
  dir_.write(".aws/credentials", "[default]\naws_secret_access_key = " + std::string(secret) + "\n");
  auto result = fetch();
  expect_secret_free(result);
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("has no aws_access_key_id"), std::string::npos) << result.error().message;

  dir_.write(".aws/credentials", "[default]\naws_access_key_id = AKID\n");
  result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("has no aws_secret_access_key"), std::string::npos) << result.error().message;
}

TEST_F(ProfileCredentials, RoleSsoAndProcessProfilesAreRefusedClearly) {
  dir_.write(".aws/config",
             "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n"
             "[profile role-with-keys]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
             "aws_access_key_id = AKID\naws_secret_access_key = " + std::string(secret) + "\n"
             "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
             "[profile process]\ncredential_process = /usr/bin/get-creds\n"
             "[profile web]\nweb_identity_token_file = /var/run/token\n");
  for (const auto& [profile_name, key] : std::vector<std::pair<std::string, std::string>>{
           {"role", "role_arn"}, {"role-with-keys", "role_arn"}, {"sso", "sso_session"},
           {"process", "credential_process"}, {"web", "web_identity_token_file"}}) {
    const auto result = fetch(profile_name);
    expect_secret_free(result);
    EXPECT_TRUE(result.error().stops_chain) << profile_name;
    EXPECT_NE(result.error().message.find(key), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("not support"), std::string::npos) << result.error().message;
  }
}

TEST_F(ProfileCredentials, StaticKeysWinOverCredentialProcess) {
  // botocore tries the shared-file keys before credential_process.
  dir_.write(".aws/credentials",
             "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\ncredential_process = /bin/false\n");
  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKID");
}

}  // namespace
}  // namespace scavenger::aws
