#include "support/dynamodb_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace scavenger::test {

namespace {

class static_provider final : public aws::credentials_provider {
 public:
  explicit static_provider(aws::credentials creds) : creds_(std::move(creds)) {}
  boost::asio::awaitable<aws::credentials_result> fetch() override { co_return creds_; }
  std::string name() const override { return "static (tests)"; }

 private:
  aws::credentials creds_;
};

}  // namespace

std::unique_ptr<aws::credentials_provider> static_credentials(std::string access_key, std::string secret_key) {
  return std::make_unique<static_provider>(aws::credentials{std::move(access_key), std::move(secret_key), {}, {}});
}

dynamodb::client_config client_config_for(const std::string& endpoint_url) {
  auto parsed = http::parse_url(endpoint_url);
  if (!parsed) throw std::runtime_error("bad emulator URL " + endpoint_url);
  dynamodb::client_config config;
  config.endpoint = *parsed;
  config.region = "us-east-1";
  config.request_timeout = std::chrono::seconds(30);
  return config;
}

std::string unique_table_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace scavenger::test
