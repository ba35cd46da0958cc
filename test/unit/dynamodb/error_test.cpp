#include "dynamodb/error.hpp"

#include <gtest/gtest.h>

namespace scavenger::dynamodb {
namespace {

http::response error_response(unsigned status, std::string body) {
  http::response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(api_error, strips_the_type_namespace_and_reads_the_message) {
  auto parsed = parse_api_error(error_response(
      400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})"));
  EXPECT_EQ(parsed.type, "ResourceNotFoundException");
  EXPECT_EQ(parsed.message, "Requested resource not found");
  EXPECT_EQ(parsed.status, 400u);
  EXPECT_FALSE(parsed.retryable());
}

TEST(api_error, accepts_capitalised_message) {
  auto parsed = parse_api_error(error_response(400, R"({"Message":"Missing Authentication Token","__type":"com.amazon.coral.service#MissingAuthenticationTokenException"})"));
  EXPECT_EQ(parsed.type, "MissingAuthenticationTokenException");
  EXPECT_EQ(parsed.message, "Missing Authentication Token");
}

TEST(api_error, a_body_that_is_not_json_keeps_the_status) {
  auto parsed = parse_api_error(error_response(502, "<html>Bad Gateway</html>"));
  EXPECT_EQ(parsed.type, "HTTP 502");
  EXPECT_EQ(parsed.message, "<html>Bad Gateway</html>");
  EXPECT_TRUE(parsed.retryable());
  EXPECT_TRUE(parsed.may_have_been_applied());
}

TEST(api_error, classifies_retryable_and_throttling_types) {
  for (const char* type : {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}) {
    api_error throttled{type, "", 400};
    EXPECT_TRUE(throttled.throttling()) << type;
    EXPECT_TRUE(throttled.retryable()) << type;
    EXPECT_FALSE(throttled.may_have_been_applied()) << type;
  }
  for (const char* type : {"InternalServerError", "ServiceUnavailable", "TransactionConflictException"}) {
    api_error transient{type, "", 400};
    EXPECT_TRUE(transient.retryable()) << type;
    EXPECT_FALSE(transient.throttling()) << type;
  }
  for (const char* type : {"ValidationException", "AccessDeniedException", "ConditionalCheckFailedException",
                           "ResourceNotFoundException"}) {
    EXPECT_FALSE((api_error{type, "", 400}.retryable())) << type;
  }
}

TEST(error, codes_and_descriptions_name_the_cause) {
  error service{api_error{"ValidationException", "Invalid FilterExpression", 400}, 1, false};
  EXPECT_EQ(service.code(), "ValidationException");
  EXPECT_EQ(describe(service), "ValidationException: Invalid FilterExpression (HTTP 400)");
  EXPECT_TRUE(service.is("ValidationException"));

  error transport{http::transport_failure{http::transport_error::connect_failed, "127.0.0.1:9: connection refused"}, 3, false};
  EXPECT_EQ(transport.code(), "Transport." + std::string(http::to_string(http::transport_error::connect_failed)));
  EXPECT_TRUE(transport.retryable());
  EXPECT_NE(describe(transport).find("after 3 attempts"), std::string::npos);
}

}  // namespace
}  // namespace scavenger::dynamodb
