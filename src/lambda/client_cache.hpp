#pragma once
// DynamoDB clients kept across invocations: Lambda reuses a warm process, and a client per
// invocation would open a fresh connection pool (TCP and TLS handshakes) every time. One client
// per distinct connection setting (endpoint, region, profile, CA bundle, proxy, retries,
// request timeout), so an event that names another endpoint gets its own.
//
// Thread safety: none; use from the io_context thread. A client returned stays valid until the
// next get().

#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "aws/endpoint.hpp"
#include "aws/environment.hpp"
#include "dynamodb/client.hpp"
#include "scavenger/settings.hpp"

namespace scavenger::lambda {

class client_cache {
 public:
  client_cache(boost::asio::any_io_executor executor, const aws::environment& env) : executor_(std::move(executor)), env_(env) {}

  // The client for these settings, made on first use. Throws std::runtime_error when the CA
  // bundle cannot be loaded (a configuration error).
  dynamodb::client& get(const aws::resolved_connection& connection, const core::run_settings& settings);

  std::size_t size() const noexcept { return clients_.size(); }

 private:
  boost::asio::any_io_executor executor_;
  const aws::environment& env_;
  std::map<std::string, std::unique_ptr<dynamodb::client>> clients_;
};

}  // namespace scavenger::lambda
