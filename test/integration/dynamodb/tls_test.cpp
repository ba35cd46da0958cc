// TLS against dynalite with a certificate the tests made (its bundled one expired in 2018):
// refused without our CA, accepted with it as --ca-bundle, refused for another host name.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "dynamodb/client.hpp"
#include "support/dynamodb_fixture.hpp"
#include "support/emulators.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::test {
namespace {

dynamodb::outcome<dynamodb::table_description> describe_over_tls(const std::string& url, std::optional<std::string> ca_bundle) {
  boost::asio::io_context io;
  auto config = client_config_for(url);
  config.http.ca_bundle_file = std::move(ca_bundle);
  config.retry.max_attempts = 3;  // so that a retried rejection would show in `attempts`
  config.retry.base = std::chrono::milliseconds(1);
  dynamodb::client client(io.get_executor(), config, static_credentials());
  return run(io, client.describe_table("scavenger-tls-probe"));
}

http::transport_failure transport_failure_of(const dynamodb::error& failure) {
  const auto* transport = std::get_if<http::transport_failure>(&failure.cause);
  if (transport == nullptr) throw std::runtime_error("expected a transport failure, got " + dynamodb::describe(failure));
  return *transport;
}

TEST(tls, works_with_the_test_ca_as_ca_bundle) {
  auto described = describe_over_tls(emulators().dynalite_tls, emulators().test_ca);
  // The table does not exist: a DynamoDB answer proves the TLS session carried a real request.
  ASSERT_FALSE(described);
  EXPECT_TRUE(described.error().is("ResourceNotFoundException")) << dynamodb::describe(described.error());
}

TEST(tls, is_refused_without_the_ca_and_says_why) {
  auto described = describe_over_tls(emulators().dynalite_tls, std::nullopt);
  ASSERT_FALSE(described);
  const auto failure = transport_failure_of(described.error());
  EXPECT_EQ(failure.kind, http::transport_error::certificate_rejected) << failure.detail;
  EXPECT_NE(failure.detail.find("certificate"), std::string::npos) << failure.detail;
  EXPECT_EQ(described.error().attempts, 1) << "a rejected certificate is not retried";
}

TEST(tls, a_certificate_for_another_host_is_refused_even_with_the_ca) {
  auto described = describe_over_tls(emulators().dynalite_tls_wrong_host, emulators().test_ca);
  ASSERT_FALSE(described);
  const auto failure = transport_failure_of(described.error());
  EXPECT_EQ(failure.kind, http::transport_error::certificate_rejected) << failure.detail;
  EXPECT_NE(failure.detail.find("mismatch"), std::string::npos) << failure.detail;
}

}  // namespace
}  // namespace scavenger::test
