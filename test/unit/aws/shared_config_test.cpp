#include "aws/shared_config.hpp"

#include <gtest/gtest.h>

#include "aws_test_helpers.hpp"

namespace scavenger::aws {
namespace {

using testing::temp_directory;

TEST(SelectedProfileName, FlagBeatsAwsProfileBeatsDefault) {
  map_environment env;
  EXPECT_EQ(selected_profile_name(env, std::nullopt), "default");
  EXPECT_FALSE(profile_explicitly_selected(env, std::nullopt));
  env.set("AWS_PROFILE", "from-env");
  EXPECT_EQ(selected_profile_name(env, std::nullopt), "from-env");
  EXPECT_TRUE(profile_explicitly_selected(env, std::nullopt));
  EXPECT_EQ(selected_profile_name(env, std::string("from-flag")), "from-flag");
  EXPECT_EQ(selected_profile_name(env, std::string()), "from-env");  // an empty flag is no flag
  env.set("AWS_PROFILE", "");
  EXPECT_EQ(selected_profile_name(env, std::nullopt), "default");  // an empty variable is unset
}

TEST(ParseProfiles, CredentialsFileSectionsKeysAndComments) {
  const auto profiles = parse_profiles(
      "# a comment\n"
      "; another comment\n"
      "ignored_before_any_section = 1\n"
      "[default]\n"
      "aws_access_key_id = AKIDDEFAULT\n"
      "aws_secret_access_key=secret-default   \t\n"
      "\n"
      "[dev]\n"
      "AWS_ACCESS_KEY_ID: AKIDDEV\n"  // configparser: ':' delimits too, option names are case-insensitive
      "aws_secret_access_key = abc=def:ghi\n"
      "  # an indented comment\n"
      "[profile prod]\n"  // in the credentials file, the section name is taken literally
      "region = eu-west-1\n",
      false);
  ASSERT_EQ(profiles.size(), 3u);
  EXPECT_EQ(profiles.at("default").at("aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(profiles.at("default").at("aws_secret_access_key"), "secret-default");
  EXPECT_EQ(profiles.at("default").count("ignored_before_any_section"), 0u);
  EXPECT_EQ(profiles.at("dev").at("aws_access_key_id"), "AKIDDEV");
  EXPECT_EQ(profiles.at("dev").at("aws_secret_access_key"), "abc=def:ghi");
  EXPECT_EQ(profiles.at("profile prod").at("region"), "eu-west-1");
}

TEST(ParseProfiles, ConfigFileKeepsDefaultAndProfileSectionsOnly) {
  const auto profiles = parse_profiles(
      "[default]\n"
      "region = us-west-2\n"
      "[profile dev]\n"
      "region = eu-central-1\n"
      "[dev]\n"  // not a profile in the config file
      "region = ignored\n"
      "[sso-session corp]\n"
      "sso_region = ignored\n"
      "[profile   spaced   ]\n"
      "region = ap-south-1\n"
      "[profile \"quoted\"]\n"
      "region = sa-east-1\n"
      "[profiledev]\n"
      "region = ignored\n",
      true);
  ASSERT_EQ(profiles.size(), 4u);
  EXPECT_EQ(profiles.at("default").at("region"), "us-west-2");
  EXPECT_EQ(profiles.at("dev").at("region"), "eu-central-1");
  EXPECT_EQ(profiles.at("spaced").at("region"), "ap-south-1");
  EXPECT_EQ(profiles.at("quoted").at("region"), "sa-east-1");
}

TEST(ParseProfiles, IndentedSubSectionsAreSkippedWithoutBreakingTheProfile) {
  const auto profiles = parse_profiles(
      "[profile dev]\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "  region = not-this-one\n"
      "region = eu-west-1\n"
      "[profile next]\n"
      "  region = indented-first-key\n",
      true);
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles.at("dev").at("region"), "eu-west-1");
  EXPECT_EQ(profiles.at("dev").at("s3"), "");
  EXPECT_EQ(profiles.at("dev").count("max_concurrent_requests"), 0u);
  EXPECT_EQ(profiles.at("next").at("region"), "indented-first-key");
}

TEST(ParseProfiles, WindowsLineEndingsAndMalformedLines) {
  const auto profiles = parse_profiles(
      "[default]\r\n"
      "region = us-east-2\r\n"
      "a line without a delimiter\r\n"
      "= value without a key\r\n"
      "[unterminated\r\n"
      "region = lost\r\n",
      false);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles.at("default").at("region"), "us-east-2");
  EXPECT_EQ(profiles.at("default").size(), 1u);
}

TEST(SharedFilePaths, VariablesBeatHomeAndTildeExpands) {
  map_environment env;
  EXPECT_FALSE(credentials_file_path(env).has_value());
  EXPECT_FALSE(config_file_path(env).has_value());
  env.set("HOME", "/home/someone");
  EXPECT_EQ(credentials_file_path(env), "/home/someone/.aws/credentials");
  EXPECT_EQ(config_file_path(env), "/home/someone/.aws/config");
  env.set("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds");
  env.set("AWS_CONFIG_FILE", "~/elsewhere/config");
  EXPECT_EQ(credentials_file_path(env), "/etc/creds");
  EXPECT_EQ(config_file_path(env), "/home/someone/elsewhere/config");
}

TEST(LoadProfile, CredentialsFileWinsOverConfigFile) {
  temp_directory dir;
  dir.write(".aws/credentials",
            "[dev]\n"
            "aws_access_key_id = FROM-CREDENTIALS\n"
            "region = from-credentials-file\n");
  dir.write(".aws/config",
            "[profile dev]\n"
            "aws_access_key_id = FROM-CONFIG\n"
            "region = eu-west-3\n"
            "ca_bundle = /etc/ca.pem\n");
  map_environment env({{"HOME", dir.path()}});
  const auto loaded = load_profile(env, "dev");
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_TRUE(loaded->has_value());
  const profile& dev = **loaded;
  EXPECT_EQ(dev.at("aws_access_key_id"), "FROM-CREDENTIALS");
  EXPECT_EQ(dev.at("region"), "from-credentials-file");
  EXPECT_EQ(dev.at("ca_bundle"), "/etc/ca.pem");
}

TEST(LoadProfile, EnvironmentVariablesPointAtTheFiles) {
  temp_directory dir;
  const auto credentials = dir.write("elsewhere/creds", "[ci]\naws_access_key_id = AKIDCI\n");
  const auto config = dir.write("elsewhere/conf", "[profile ci]\nregion = us-west-1\n");
  dir.write(".aws/credentials", "[ci]\naws_access_key_id = NOT-THIS-ONE\n");
  map_environment env({{"HOME", dir.path()}, {"AWS_SHARED_CREDENTIALS_FILE", credentials}, {"AWS_CONFIG_FILE", config}});
  const auto loaded = load_profile(env, "ci");
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((**loaded).at("aws_access_key_id"), "AKIDCI");
  EXPECT_EQ((**loaded).at("region"), "us-west-1");
}

TEST(LoadProfile, MissingFilesAndMissingProfilesAreNotErrors) {
  temp_directory dir;
  map_environment env({{"HOME", dir.path()}});
  auto loaded = load_profile(env, "default");
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  EXPECT_FALSE(loaded->has_value());

  dir.write(".aws/config", "[profile other]\nregion = us-east-1\n");
  loaded = load_profile(env, "default");
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  EXPECT_FALSE(loaded->has_value());

  loaded = load_profile(map_environment(), "default");  // no HOME at all
  ASSERT_TRUE(loaded.has_value()) << loaded.error();
  EXPECT_FALSE(loaded->has_value());
}

TEST(LoadProfile, AnUnreadableFileIsAnErrorNamingIt) {
  temp_directory dir;
  // A directory where the file should be: fopen succeeds, reading fails (works as root too).
  const std::string credentials = dir.path() + "/creds-dir";
  std::filesystem::create_directories(credentials);
  map_environment env({{"AWS_SHARED_CREDENTIALS_FILE", credentials}});
  const auto loaded = load_profile(env, "default");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().find(credentials), std::string::npos) << loaded.error();
}

}  // namespace
}  // namespace scavenger::aws
