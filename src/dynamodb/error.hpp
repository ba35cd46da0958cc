#pragma once
// DynamoDB-shaped errors (STYLE §2): the service's error type, message and HTTP status, or a
// transport failure that got no HTTP response at all. Both travel as values.

#include <string>
#include <string_view>
#include <variant>

#include "http/message.hpp"
#include "http/transport_error.hpp"

namespace scavenger::dynamodb {

// An error response from the service: `__type` without its namespace prefix
// ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException").
struct api_error {
  std::string type;
  std::string message;
  unsigned status = 0;

  // Throttling: the request was refused for capacity, so it certainly was not applied.
  bool throttling() const noexcept;
  // Worth sending again (SPEC §5): throttling, 5xx, InternalServerError, ServiceUnavailable,
  // TransactionConflictException.
  bool retryable() const noexcept;
  // True when the service may have applied the request before answering (5xx).
  bool may_have_been_applied() const noexcept { return status >= 500; }
};

// Parses an error response; a body that is not DynamoDB's JSON error becomes type "HTTP <status>".
api_error parse_api_error(const http::response& response);

struct error {
  std::variant<api_error, http::transport_failure> cause;
  int attempts = 1;  // requests sent for this call, the failed one included
  // An earlier attempt of this call failed in a way that leaves open whether the service
  // applied it (a lost response or a 5xx). A conditional delete answered by
  // ConditionalCheckFailedException after such an attempt must be settled by reading the item.
  bool earlier_attempt_may_have_applied = false;

  bool retryable() const noexcept;
  bool throttling() const noexcept;
  // The DynamoDB error type, or "Transport.<kind>" for transport failures (summary keys).
  std::string code() const;
  std::string message() const;
  const api_error* api() const noexcept { return std::get_if<api_error>(&cause); }
  bool is(std::string_view type) const noexcept;
};

// One line for logs and the CLI: "ResourceNotFoundException: Requested resource not found (HTTP 400)".
std::string describe(const error& failure);

}  // namespace scavenger::dynamodb
