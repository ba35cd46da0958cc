#include "dynamodb/error.hpp"

#include <array>

#include <simdjson.h>

namespace scavenger::dynamodb {

namespace {

// Error types DynamoDB answers when a request was refused for capacity.
constexpr std::array throttling_types{
    std::string_view{"ProvisionedThroughputExceededException"},
    std::string_view{"ThrottlingException"},
    std::string_view{"RequestLimitExceeded"},
};

// Other types that DynamoDB documents as safe to retry.
constexpr std::array transient_types{
    std::string_view{"InternalServerError"},
    std::string_view{"ServiceUnavailable"},
    std::string_view{"TransactionConflictException"},
    std::string_view{"InternalFailure"},
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& types, std::string_view type) noexcept {
  for (auto candidate : types) {
    if (candidate == type) return true;
  }
  return false;
}

std::string_view strip_namespace(std::string_view type) noexcept {
  const auto hash = type.rfind('#');
  return hash == std::string_view::npos ? type : type.substr(hash + 1);
}

}  // namespace

bool api_error::throttling() const noexcept { return contains(throttling_types, type); }

bool api_error::retryable() const noexcept {
  return status >= 500 || throttling() || contains(transient_types, type);
}

api_error parse_api_error(const http::response& response) {
  api_error parsed{"HTTP " + std::to_string(response.status), {}, response.status};
  simdjson::ondemand::parser parser;
  simdjson::padded_string body(response.body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(body).get(doc) || doc.get_object().get(object)) {
    parsed.message = response.body.substr(0, 200);
    return parsed;
  }
  for (auto field : object) {
    std::string_view key;
    std::string_view value;
    if (field.unescaped_key().get(key) || field.value().get_string().get(value)) continue;
    // DynamoDB spells it "message"; some endpoints (and older API versions) "Message".
    if (key == "__type") {
      parsed.type = std::string(strip_namespace(value));
    } else if (key == "message" || key == "Message") {
      parsed.message = std::string(value);
    }
  }
  return parsed;
}

bool error::retryable() const noexcept {
  if (const auto* service = api()) return service->retryable();
  return std::get<http::transport_failure>(cause).retryable();
}

bool error::throttling() const noexcept {
  const auto* service = api();
  return service != nullptr && service->throttling();
}

std::string error::code() const {
  if (const auto* service = api()) return service->type;
  return "Transport." + std::string(http::to_string(std::get<http::transport_failure>(cause).kind));
}

std::string error::message() const {
  if (const auto* service = api()) return service->message;
  return std::get<http::transport_failure>(cause).detail;
}

bool error::is(std::string_view type) const noexcept {
  const auto* service = api();
  return service != nullptr && service->type == type;
}

std::string describe(const error& failure) {
  std::string line = failure.code();
  const auto text = failure.message();
  if (!text.empty()) line += ": " + text;
  if (const auto* service = failure.api()) line += " (HTTP " + std::to_string(service->status) + ")";
  if (failure.attempts > 1) line += " after " + std::to_string(failure.attempts) + " attempts";
  return line;
}

}  // namespace scavenger::dynamodb
