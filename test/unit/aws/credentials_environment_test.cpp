#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

constexpr const char* secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* token = "session-token-that-is-also-secret";

credentials_result fetch_from(const map_environment& env) {
  boost::asio::io_context io;
  auto provider = make_environment_provider(env);
  EXPECT_EQ(provider->name(), "environment");
  return test::run(io, provider->fetch());
}

TEST(EnvironmentCredentials, BothKeysAndTheOptionalToken) {
  auto result = fetch_from(map_environment({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", secret}}));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(result->secret_access_key, secret);
  EXPECT_EQ(result->session_token, "");
  EXPECT_FALSE(result->expiration.has_value());

  result = fetch_from(map_environment(
      {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", secret}, {"AWS_SESSION_TOKEN", token}}));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->session_token, token);
}

TEST(EnvironmentCredentials, NeitherKeyIsAnErrorThatLetsTheChainMoveOn) {
  map_environment env;
  env.set("AWS_ACCESS_KEY_ID", "");  // empty counts as unset
  const auto result = fetch_from(env);
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST(EnvironmentCredentials, MissingSecretIsNamedAndStopsTheChain) {
  const auto result = fetch_from(map_environment({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SESSION_TOKEN", token}}));
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find(token), std::string::npos);
}

TEST(EnvironmentCredentials, MissingAccessKeyIsNamedAndTheSecretNeverShown) {
  const auto result = fetch_from(map_environment({{"AWS_SECRET_ACCESS_KEY", secret}, {"AWS_SESSION_TOKEN", token}}));
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_ACCESS_KEY_ID is not"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find(secret), std::string::npos);
  EXPECT_EQ(result.error().message.find(token), std::string::npos);
}

}  // namespace
}  // namespace scavenger::aws
