#pragma once
// AWS credentials and where they come from (SPEC §7 "AWS conventions").
// Secrets never appear in logs or messages: nothing here formats a secret, and
// credentials_error messages name sources and files, never values.

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "aws/environment.hpp"

namespace scavenger::aws {

struct credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when none
  std::optional<std::chrono::system_clock::time_point> expiration;  // none: never expires
};

struct credentials_error {
  std::string message;  // one line: which source failed and how to fix it
  // The source is configured but broken (half of a key pair, a selected profile that does not
  // exist, a refused container URI, ...). The chain stops there instead of moving on to another
  // source, which would sign with an identity nobody asked for; botocore does the same (it raises
  // PartialCredentialsError / ProfileNotFound rather than trying the next provider).
  bool stops_chain = false;
};

using credentials_result = boost::system::result<credentials, credentials_error>;

// Found by argument-dependent lookup, so that credentials_result::value() throws
// std::runtime_error(message) on an error, as result<T, error_code>::value() throws system_error.
[[noreturn]] inline void throw_exception_from_error(const credentials_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

// A source of credentials. Not thread-safe: use from the io_context thread. Providers keep a
// reference to the environment they were made with, which must outlive them; they read it on
// every fetch.
class credentials_provider {
 public:
  virtual ~credentials_provider() = default;
  // Fetches credentials now; a provider that has none returns an error (the chain moves on).
  virtual boost::asio::awaitable<credentials_result> fetch() = 0;
  virtual std::string name() const = 0;  // "environment", "profile default", "container", "imds"
};

}  // namespace scavenger::aws
