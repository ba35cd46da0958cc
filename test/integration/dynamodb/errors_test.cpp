// DynamoDB's errors come back as its error type and message; transport failures as ours.
#include <boost/asio/ip/tcp.hpp>

#include "emulator_test.hpp"

namespace scavenger::test {
namespace {

class errors : public emulator_test {};

TEST_P(errors, a_missing_table_is_resource_not_found) {
  auto described = await(client_->describe_table("scavenger-no-such-table"));
  ASSERT_FALSE(described);
  EXPECT_TRUE(described.error().is("ResourceNotFoundException")) << dynamodb::describe(described.error());
  EXPECT_FALSE(described.error().message().empty());
  EXPECT_EQ(described.error().api()->status, 400u);
  EXPECT_EQ(described.error().attempts, 1) << "not retryable: sent once";

  dynamodb::scan_request request;
  request.table = "scavenger-no-such-table";
  auto scanned = await(client_->scan(request));
  ASSERT_FALSE(scanned);
  EXPECT_TRUE(scanned.error().is("ResourceNotFoundException"));
}

TEST_P(errors, a_bad_expression_is_a_validation_error) {
  auto table = create_table({{"id", "S"}, std::nullopt});
  dynamodb::scan_request request;
  request.table = table;
  request.filter_expression = "#Comp = = :v";
  request.expression_attribute_names = R"({"#Comp":"Completed"})";
  request.expression_attribute_values = R"({":v":{"N":"1"}})";
  auto scanned = await(client_->scan(request));
  ASSERT_FALSE(scanned);
  EXPECT_TRUE(scanned.error().is("ValidationException")) << dynamodb::describe(scanned.error());
  EXPECT_FALSE(scanned.error().message().empty());

  request.filter_expression = "#Missing = :v";  // a name placeholder with no definition
  auto undefined = await(client_->scan(request));
  ASSERT_FALSE(undefined);
  EXPECT_TRUE(undefined.error().is("ValidationException")) << dynamodb::describe(undefined.error());
}

SCAVENGER_ON_BOTH_EMULATORS(errors);

// A port nobody listens on: take a free one from the kernel and close it again.
std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

TEST(transport_errors, an_unreachable_endpoint_fails_within_its_attempts) {
  boost::asio::io_context io;
  auto config = client_config_for("http://127.0.0.1:" + std::to_string(closed_port()));
  config.retry.max_attempts = 3;
  config.retry.base = std::chrono::milliseconds(10);
  config.request_timeout = std::chrono::seconds(2);
  dynamodb::client client(io.get_executor(), config, static_credentials());
  const auto started = std::chrono::steady_clock::now();
  auto described = run(io, client.describe_table("t"));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(described);
  const auto error = described.error();  // result::error() returns a copy
  const auto* failure = std::get_if<http::transport_failure>(&error.cause);
  ASSERT_NE(failure, nullptr) << dynamodb::describe(described.error());
  EXPECT_EQ(failure->kind, http::transport_error::connect_failed) << failure->detail;
  EXPECT_EQ(described.error().attempts, 3);
  EXPECT_EQ(client.counters().retries, 2u);
  EXPECT_LT(took, std::chrono::seconds(3)) << "three refused connects and two short backoffs";
}

TEST(transport_errors, a_silent_endpoint_times_out_within_its_deadline) {
  // Accepts TCP connections (the kernel completes the handshake) but never answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto config = client_config_for("http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
  config.retry.max_attempts = 1;
  config.request_timeout = std::chrono::milliseconds(300);
  dynamodb::client client(io.get_executor(), config, static_credentials());
  const auto started = std::chrono::steady_clock::now();
  auto described = run(io, client.describe_table("t"));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(described);
  const auto error = described.error();  // result::error() returns a copy
  const auto* failure = std::get_if<http::transport_failure>(&error.cause);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->kind, http::transport_error::timed_out) << failure->detail;
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace scavenger::test
