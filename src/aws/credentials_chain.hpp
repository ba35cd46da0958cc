#pragma once
// The default credentials chain, in the AWS SDKs' order:
//   1. environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//   2. shared files: AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and AWS_CONFIG_FILE
//      (~/.aws/config, "[profile NAME]" sections), profile from --profile, else AWS_PROFILE, else "default"
//   3. container: AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI (host 169.254.170.2),
//      with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN
//   4. EC2 IMDSv2: PUT /latest/api/token, then GET /latest/meta-data/iam/security-credentials/[role];
//      AWS_EC2_METADATA_SERVICE_ENDPOINT overrides http://169.254.169.254, AWS_EC2_METADATA_DISABLED=true skips it.
// and a cache that refreshes expiring credentials ahead of their expiry.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.hpp"

namespace scavenger::aws {

std::unique_ptr<credentials_provider> make_environment_provider(const environment& env);
std::unique_ptr<credentials_provider> make_profile_provider(const environment& env, std::optional<std::string> profile);
std::unique_ptr<credentials_provider> make_container_provider(boost::asio::any_io_executor executor, const environment& env);
std::unique_ptr<credentials_provider> make_imds_provider(boost::asio::any_io_executor executor, const environment& env);

// Tries each provider in turn; the first that returns credentials wins. When every one
// fails, the error lists each source's reason on one line.
std::unique_ptr<credentials_provider> make_chain(std::vector<std::unique_ptr<credentials_provider>> providers);
std::unique_ptr<credentials_provider> make_default_chain(boost::asio::any_io_executor executor, const environment& env,
                                                         std::optional<std::string> profile);

// Caches what `source` returns and fetches again once the credentials are within
// `refresh_ahead` of their expiration, so a long run never signs with expired keys.
class credentials_cache {
 public:
  using clock_function = std::function<std::chrono::system_clock::time_point()>;
  explicit credentials_cache(std::unique_ptr<credentials_provider> source,
                             std::chrono::seconds refresh_ahead = std::chrono::minutes(5),
                             clock_function now = [] { return std::chrono::system_clock::now(); });
  boost::asio::awaitable<credentials_result> get();
  std::size_t fetches() const noexcept { return fetches_; }

 private:
  std::unique_ptr<credentials_provider> source_;
  std::chrono::seconds refresh_ahead_;
  clock_function now_;
  std::optional<credentials> cached_;
  std::size_t fetches_ = 0;
};

}  // namespace scavenger::aws
