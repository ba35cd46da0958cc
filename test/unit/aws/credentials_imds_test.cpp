#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "aws/rfc3339.hpp"
#include "http/client.hpp"
#include "support/http_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

constexpr const char* secret = "imds-secret-never-shown";
constexpr const char* metadata_token = "AQAEAimds-session-token==";
constexpr const char* credentials_path = "/latest/meta-data/iam/security-credentials/";

// Plays IMDSv2 as documented: a token from PUT /latest/api/token (the TTL header is required),
// and 401 for any GET without that token.
struct fake_imds {
  std::string role_listing = "scavenger-role";
  unsigned role_listing_status = 200;
  std::string code = "Success";
  std::chrono::milliseconds token_delay{0};

  test::fixture_response operator()(const test::fixture_request& request) const {
    if (request.target == "/latest/api/token") {
      if (request.method != "PUT") return {405, {}, ""};
      if (!request.header_value("X-aws-ec2-metadata-token-ttl-seconds")) return {400, {}, "missing TTL"};
      std::this_thread::sleep_for(token_delay);
      return {200, {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, metadata_token};
    }
    if (request.method != "GET") return {405, {}, ""};
    if (request.header_value("X-aws-ec2-metadata-token") != std::optional<std::string_view>(metadata_token)) {
      return {401, {}, ""};
    }
    if (request.target == credentials_path) return {role_listing_status, {}, role_listing};
    if (request.target == std::string(credentials_path) + "scavenger-role") {
      return {200,
              {{"Content-Type", "text/plain"}},
              R"({"Code":")" + code + R"(","LastUpdated":"2026-11-24T06:00:00Z","Type":"AWS-HMAC",)"
              R"("AccessKeyId":"ASIAIMDS","SecretAccessKey":")" + std::string(secret) +
                  R"(","Token":"imds-session","Expiration":"2026-11-24T12:00:00Z"})"};
    }
    return {404, {}, ""};
  }
};

class ImdsCredentials : public ::testing::Test {
 protected:
  credentials_result fetch() {
    auto provider = make_imds_provider(io_.get_executor(), env_);
    EXPECT_EQ(provider->name(), "imds");
    return test::run(io_, provider->fetch());
  }

  void use(const test::http_fixture& server) { env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()); }

  boost::asio::io_context io_;
  map_environment env_;
};

TEST_F(ImdsCredentials, FollowsTheImdsV2Protocol) {
  test::http_fixture server(fake_imds{});
  use(server);
  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "ASIAIMDS");
  EXPECT_EQ(result->secret_access_key, secret);
  EXPECT_EQ(result->session_token, "imds-session");
  EXPECT_EQ(result->expiration, parse_rfc3339("2026-11-24T12:00:00Z"));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/latest/api/token");
  EXPECT_EQ(requests[0].header_value("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, credentials_path);
  EXPECT_EQ(requests[1].header_value("X-aws-ec2-metadata-token"), metadata_token);
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].target, std::string(credentials_path) + "scavenger-role");
  EXPECT_EQ(requests[2].header_value("X-aws-ec2-metadata-token"), metadata_token);
}

TEST_F(ImdsCredentials, TheFakeRefusesAGetWithoutTheToken) {
  // The provider's success above proves it sends the token only if the fake insists on it.
  test::http_fixture server(fake_imds{});
  const auto url = http::parse_url(server.url());
  ASSERT_TRUE(url.has_value()) << url.error();
  http::client client(io_.get_executor(), *url);
  http::request request;
  request.method = "GET";
  request.target = credentials_path;
  const auto answer = test::run(io_, client.send(request, std::chrono::milliseconds(5000)));
  ASSERT_TRUE(answer.has_value()) << answer.error().detail;
  EXPECT_EQ(answer->status, 401u);
}

TEST_F(ImdsCredentials, TheFirstListedRoleIsUsed) {
  fake_imds imds;
  imds.role_listing = "scavenger-role\nanother-role\n";
  test::http_fixture server(imds);
  use(server);
  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(server.requests().back().target, std::string(credentials_path) + "scavenger-role");
}

TEST_F(ImdsCredentials, NoRoleAttachedIsAnErrorThatLetsTheChainMoveOn) {
  fake_imds imds;
  imds.role_listing_status = 404;
  test::http_fixture server(imds);
  use(server);
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("IAM role"), std::string::npos) << result.error().message;
}

TEST_F(ImdsCredentials, AFailureCodeIsAnErrorWithoutTheSecret) {
  fake_imds imds;
  imds.code = "AssumeRoleUnauthorizedAccess";
  test::http_fixture server(imds);
  use(server);
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("AssumeRoleUnauthorizedAccess"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find(secret), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find(metadata_token), std::string::npos) << result.error().message;
}

TEST_F(ImdsCredentials, DisabledMeansNoRequestAtAll) {
  test::http_fixture server(fake_imds{});
  use(server);
  env_.set("AWS_EC2_METADATA_DISABLED", "TRUE");
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ImdsCredentials, NothingListeningFailsFastAndLetsTheChainMoveOn) {
  std::string closed_url;
  {
    test::http_fixture gone(fake_imds{});
    closed_url = gone.url();
  }  // the port is closed now
  env_.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed_url);
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find(closed_url), std::string::npos) << result.error().message;
}

TEST_F(ImdsCredentials, ASlowServiceHitsTheOneSecondDeadline) {
  fake_imds imds;
  imds.token_delay = std::chrono::milliseconds(1800);  // would succeed without the deadline
  test::http_fixture server(imds);
  use(server);
  const auto started = std::chrono::steady_clock::now();
  const auto result = fetch();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1700));
}

}  // namespace
}  // namespace scavenger::aws
