#include <atomic>
#include <chrono>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "aws/rfc3339.hpp"
#include "aws_test_helpers.hpp"
#include "support/http_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

using testing::temp_directory;

constexpr const char* secret = "container-secret-never-shown";
constexpr const char* session_token = "container-session-token";

std::string credentials_document(std::string_view expiration = "2026-11-24T12:00:00Z") {
  return R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":")" + std::string(secret) + R"(","Token":")" +
         session_token + R"(","Expiration":")" + std::string(expiration) + R"(","RoleArn":"arn:aws:iam::1:role/r"})";
}

test::fixture_response json_response(std::string body) {
  return test::fixture_response{200, {{"Content-Type", "application/json"}}, std::move(body)};
}

class ContainerCredentials : public ::testing::Test {
 protected:
  credentials_result fetch() {
    auto provider = make_container_provider(io_.get_executor(), env_);
    EXPECT_EQ(provider->name(), "container");
    return test::run(io_, provider->fetch());
  }

  void expect_secret_free(const credentials_result& result) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message.find(secret), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find(session_token), std::string::npos) << result.error().message;
  }

  boost::asio::io_context io_;
  map_environment env_;
};

TEST_F(ContainerCredentials, FullUriWithTokenFromTheEnvironment) {
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/v1/credentials?role=a");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic env-token");

  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(result->secret_access_key, secret);
  EXPECT_EQ(result->session_token, session_token);
  EXPECT_EQ(result->expiration, parse_rfc3339("2026-11-24T12:00:00Z"));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v1/credentials?role=a");
  EXPECT_EQ(requests[0].header_value("Authorization"), "Basic env-token");
}

TEST_F(ContainerCredentials, TokenFileWinsAndIsReadAgainOnEveryFetch) {
  temp_directory dir;
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token-not-used");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("token", "file-token-1\n"));
  ASSERT_TRUE(fetch().has_value());
  dir.write("token", "file-token-2");  // EKS Pod Identity rotates the file's token
  ASSERT_TRUE(fetch().has_value());

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header_value("Authorization"), "file-token-1");
  EXPECT_EQ(requests[1].header_value("Authorization"), "file-token-2");
}

TEST_F(ContainerCredentials, NoTokenConfiguredSendsNoAuthorization) {
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  ASSERT_TRUE(fetch().has_value());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_FALSE(requests[0].header_value("Authorization").has_value());
}

TEST_F(ContainerCredentials, LoopbackNamesAreAllowedOverHttp) {
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:" + std::to_string(server.port()) + "/creds");
  const auto result = fetch();
  ASSERT_TRUE(result.has_value()) << result.error().message;
}

TEST_F(ContainerCredentials, PlainHttpToOtherHostsIsRefusedBeforeAnyConnection) {
  for (const char* uri : {"http://192.0.2.10:8080/creds", "http://169.254.170.2.example.com/creds",
                          "http://localhost.example.com/creds", "http://10.0.0.1/creds"}) {
    env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
    const auto started = std::chrono::steady_clock::now();
    const auto result = fetch();
    // A connection attempt to an unroutable address would take the whole 2 s deadline.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500)) << uri;
    ASSERT_FALSE(result.has_value()) << uri;
    EXPECT_TRUE(result.error().stops_chain);
    EXPECT_NE(result.error().message.find("refused"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("https"), std::string::npos) << result.error().message;
  }
}

TEST_F(ContainerCredentials, ServerErrorsAreRetriedThenReported) {
  test::http_fixture server([](const test::fixture_request&) { return test::fixture_response{500, {}, "oops"}; });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("HTTP 500"), std::string::npos) << result.error().message;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(ContainerCredentials, ClientErrorsAreNotRetried) {
  test::http_fixture server([](const test::fixture_request&) { return test::fixture_response{403, {}, "denied"}; });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "bad-token");
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("HTTP 403"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("bad-token"), std::string::npos) << result.error().message;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(ContainerCredentials, InvalidDocumentsAreErrorsThatNeverQuoteTheBody) {
  std::atomic<int> which{0};
  const std::vector<std::string> bodies{
      credentials_document().substr(0, 80),                                     // truncated JSON
      credentials_document() + "trailing",                                      // junk after the object
      R"({"AccessKeyId":"ASIA","Token":")" + std::string(session_token) + R"("})",  // no secret
      R"({"AccessKeyId":"ASIA","SecretAccessKey":")" + std::string(secret) + R"(","Expiration":"tomorrow"})",
      R"({"AccessKeyId":"ASIA","SecretAccessKey":)" + std::string("42}"),       // not a string
  };
  test::http_fixture server([&](const test::fixture_request&) {
    return json_response(bodies.at(static_cast<std::size_t>(which.load())));
  });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    which = static_cast<int>(i);
    const auto result = fetch();
    expect_secret_free(result);
    EXPECT_TRUE(result.error().stops_chain);
    EXPECT_NE(result.error().message.find(server.url()), std::string::npos) << result.error().message;
  }
}

TEST_F(ContainerCredentials, RelativeUriComesFirstAndMustBeAnAbsolutePath) {
  // The relative URI's host (169.254.170.2) is unreachable here, so only its refusal is tested;
  // the fixture behind FULL_URI shows that the relative URI was preferred.
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  env_.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/credentials/abc");
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(ContainerCredentials, NotConfiguredLetsTheChainMoveOn) {
  const auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().stops_chain);
  EXPECT_NE(result.error().message.find("AWS_CONTAINER_CREDENTIALS_FULL_URI"), std::string::npos);
}

TEST_F(ContainerCredentials, UnreadableTokenFileAndMultiLineTokensAreErrors) {
  test::http_fixture server([](const test::fixture_request&) { return json_response(credentials_document()); });
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/scavenger/token");
  auto result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("/nonexistent/scavenger/token"), std::string::npos) << result.error().message;

  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "");  // empty counts as unset
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Injected: 1");
  result = fetch();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message.find("X-Injected"), std::string::npos) << result.error().message;
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace scavenger::aws
