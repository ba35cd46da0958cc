#include "lambda/client_cache.hpp"

#include "aws/credentials_chain.hpp"

namespace scavenger::lambda {

namespace {

// Events that cycle through many endpoints would otherwise grow the cache without bound; past
// this, start over (invocations run one at a time, so no client is in use here).
constexpr std::size_t max_clients = 8;

std::string key_of(const aws::resolved_connection& connection, const core::run_settings& settings) {
  std::string key = connection.endpoint.origin() + connection.endpoint.target;
  key += '\n' + connection.region;
  key += '\n' + settings.connection.profile.value_or("");
  key += '\n' + connection.client.ca_bundle_file.value_or("");
  key += '\n' + (connection.client.proxy ? connection.client.proxy->origin() : std::string());
  key += '\n' + std::to_string(settings.run.retry.max_attempts);
  key += '\n' + std::to_string(settings.request_timeout.count());
  return key;
}

}  // namespace

dynamodb::client& client_cache::get(const aws::resolved_connection& connection, const core::run_settings& settings) {
  auto key = key_of(connection, settings);
  if (auto found = clients_.find(key); found != clients_.end()) return *found->second;
  if (clients_.size() >= max_clients) clients_.clear();

  auto config = dynamodb::client_config_for(connection);
  config.retry = settings.run.retry;
  config.request_timeout = settings.request_timeout;
  auto made = std::make_unique<dynamodb::client>(executor_, config,
                                                 aws::make_default_chain(executor_, env_, settings.connection.profile));
  return *clients_.emplace(std::move(key), std::move(made)).first->second;
}

}  // namespace scavenger::lambda
