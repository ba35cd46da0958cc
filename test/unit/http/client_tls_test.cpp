// TLS: verification against the system store plus --ca-bundle, host and IP checks, and the
// failures a user must be able to understand.

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_test_helpers.hpp"
#include "support/http_fixture.hpp"

namespace scavenger::http {
namespace {

using ::testing::HasSubstr;
using test::fixture_request;
using test::fixture_response;
using test::http_fixture;

class http_client_tls : public ::testing::Test {
 protected:
  // One CA and its leaves for the whole suite: openssl runs a few times, not per test.
  static void SetUpTestSuite() {
    const auto dir = std::filesystem::path(::testing::TempDir()) / ("scavenger-http-tls-" + std::to_string(::getpid()));
    certificates_ = new test::test_certificates(
        test::make_test_certificates(dir.string(), {{"ip", "IP:127.0.0.1"}, {"localhost", "DNS:localhost"}, {"wrong", "DNS:wrong.example"}}));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(certificates_->directory, ignored);
    delete certificates_;
    certificates_ = nullptr;
  }

  static http_fixture::handler hello() {
    return [](const fixture_request&) { return fixture_response{200, {}, "secure hello", false}; };
  }
  static client_options trusting(std::string ca_file) {
    client_options options;
    options.ca_bundle_file = std::move(ca_file);
    return options;
  }
  static client_options trusting_the_test_ca() { return trusting(certificates_->ca_file); }

  static test::test_certificates* certificates_;
  boost::asio::io_context io_;
};

test::test_certificates* http_client_tls::certificates_ = nullptr;

TEST_F(http_client_tls, works_with_the_test_ca_as_ca_bundle_and_keeps_the_connection) {
  http_fixture server(hello(), certificates_->leaf("ip"));
  client c(io_.get_executor(), url_of(server.url()), trusting_the_test_ca());

  for (int i = 0; i < 3; ++i) {
    const auto r = send_now(io_, c, make_request("POST", "/", "payload"));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "secure hello");
  }
  EXPECT_EQ(c.connections_opened(), 1u);
  EXPECT_EQ(server.requests().at(0).body, "payload");
}

TEST_F(http_client_tls, reconnects_when_the_server_closed_the_idle_tls_connection) {
  http_fixture server(hello(), certificates_->leaf("ip"));
  client c(io_.get_executor(), url_of(server.url()), trusting_the_test_ca());
  ASSERT_TRUE(send_now(io_, c, make_request("GET", "/")));

  server.close_all_connections();
  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(c.connections_opened(), 2u);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(http_client_tls, verifies_a_host_name_against_dns_names) {
  http_fixture server(hello(), certificates_->leaf("localhost"));
  client c(io_.get_executor(), url_of("https://localhost:" + std::to_string(server.port())), trusting_the_test_ca());

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "secure hello");
}

TEST_F(http_client_tls, an_unknown_ca_is_rejected_with_the_reason_and_a_hint) {
  http_fixture server(hello(), certificates_->leaf("ip"));
  client c(io_.get_executor(), url_of(server.url()));

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::certificate_rejected) << describe(r);
  EXPECT_FALSE(r.error().retryable());
  EXPECT_THAT(r.error().detail, HasSubstr("unable to get local issuer certificate"));
  EXPECT_THAT(r.error().detail, HasSubstr("127.0.0.1:" + std::to_string(server.port())));
  EXPECT_THAT(r.error().detail, HasSubstr("--ca-bundle"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(http_client_tls, a_certificate_for_another_name_is_rejected_for_an_ip_even_with_its_ca_trusted) {
  http_fixture server(hello(), certificates_->leaf("wrong"));
  client c(io_.get_executor(), url_of(server.url()), trusting_the_test_ca());

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::certificate_rejected) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("IP address mismatch"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(http_client_tls, a_certificate_for_another_name_is_rejected_for_a_host_name) {
  http_fixture server(hello(), certificates_->leaf("wrong"));
  client c(io_.get_executor(), url_of("https://localhost:" + std::to_string(server.port())), trusting_the_test_ca());

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::certificate_rejected) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("hostname mismatch"));
}

TEST_F(http_client_tls, an_ip_certificate_does_not_vouch_for_a_host_name) {
  http_fixture server(hello(), certificates_->leaf("ip"));
  client c(io_.get_executor(), url_of("https://localhost:" + std::to_string(server.port())), trusting_the_test_ca());

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::certificate_rejected) << describe(r);
}

TEST_F(http_client_tls, a_missing_ca_bundle_is_a_clear_configuration_error) {
  try {
    client c(io_.get_executor(), url_of("https://127.0.0.1:1"), trusting("/nonexistent/ca.pem"));
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot load CA bundle '/nonexistent/ca.pem'"));
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST_F(http_client_tls, a_server_that_never_answers_the_handshake_times_out) {
  // A listening socket that accepts (the kernel completes the TCP handshake) but never speaks TLS.
  boost::asio::io_context server_io;
  boost::asio::ip::tcp::acceptor silent(server_io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
  client c(io_.get_executor(), url_of("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port())), trusting_the_test_ca());

  const auto start = std::chrono::steady_clock::now();
  const auto r = send_now(io_, c, make_request("GET", "/"), std::chrono::milliseconds(200));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::timed_out) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("TLS handshake"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

TEST_F(http_client_tls, a_plain_http_server_is_a_handshake_failure_not_a_certificate_one) {
  http_fixture plain(hello());
  client c(io_.get_executor(), url_of("https://127.0.0.1:" + std::to_string(plain.port())), trusting_the_test_ca());

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::tls_handshake_failed) << describe(r);
}

}  // namespace
}  // namespace scavenger::http
