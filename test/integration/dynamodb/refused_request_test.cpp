// dynalite checks the shape of the Authorization header (neither emulator checks signatures):
// a request without one, or with a malformed one, is refused with DynamoDB's error types.
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "dynamodb/error.hpp"
#include "dynamodb/protocol.hpp"
#include "http/client.hpp"
#include "support/emulators.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::test {
namespace {

dynamodb::api_error send_list_tables(std::vector<http::header> extra_headers) {
  boost::asio::io_context io;
  http::client client(io.get_executor(), *http::parse_url(emulators().dynalite));
  http::request request;
  request.headers = {{"Content-Type", std::string(dynamodb::protocol::content_type)},
                     {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  for (auto& header : extra_headers) request.headers.push_back(std::move(header));
  request.body = "{}";
  auto response = run(io, client.send(std::move(request), std::chrono::seconds(10)));
  if (!response) throw std::runtime_error(response.error().detail);
  return dynamodb::parse_api_error(*response);
}

TEST(refused_requests, a_missing_authorization_header_is_missing_authentication_token) {
  auto refused = send_list_tables({});
  EXPECT_EQ(refused.type, "MissingAuthenticationTokenException");
  EXPECT_EQ(refused.status, 400u);
  EXPECT_FALSE(refused.message.empty());
  EXPECT_FALSE(refused.retryable());
}

TEST(refused_requests, a_malformed_authorization_header_is_an_incomplete_signature) {
  auto refused = send_list_tables({{"Authorization", "AWS4-HMAC-SHA256 Credential=abc"}, {"X-Amz-Date", "20260101T000000Z"}});
  EXPECT_EQ(refused.type, "IncompleteSignatureException");
  EXPECT_EQ(refused.status, 400u);
  EXPECT_FALSE(refused.message.empty());
}

}  // namespace
}  // namespace scavenger::test
