#pragma once
// The default credentials chain, in the AWS SDKs' order:
//   1. environment (left out when --profile is given, as in the AWS CLI): AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//   2. shared files: AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and AWS_CONFIG_FILE
//      (~/.aws/config, "[profile NAME]" sections), profile from --profile, else AWS_PROFILE, else "default".
//      Static keys only: role_arn, SSO, web identity and credential_process are refused with a clear error.
//   3. container: AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI (host 169.254.170.2),
//      with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN
//   4. EC2 IMDSv2: PUT /latest/api/token, then GET /latest/meta-data/iam/security-credentials/[role];
//      AWS_EC2_METADATA_SERVICE_ENDPOINT overrides http://169.254.169.254, AWS_EC2_METADATA_DISABLED=true skips it.
// and a cache that refreshes expiring credentials ahead of their expiry.
//
// Thread safety: none. Providers, chains and caches run on one io_context thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.hpp"

namespace scavenger::aws {

// Not configured (neither key set) is a plain error; one key without the other stops the chain.
std::unique_ptr<credentials_provider> make_environment_provider(const environment& env);
// The profile is chosen when the provider is made. A missing profile stops the chain only when it
// was selected explicitly (--profile or AWS_PROFILE); an unsupported profile (role_arn, sso_*,
// web identity, credential_process) or an unreadable file always does.
std::unique_ptr<credentials_provider> make_profile_provider(const environment& env, std::optional<std::string> profile);
// Every failure once one of the URI variables is set stops the chain (as in botocore).
std::unique_ptr<credentials_provider> make_container_provider(boost::asio::any_io_executor executor, const environment& env);
// Failures are plain errors (the usual case off EC2); each request has a 1 s deadline.
std::unique_ptr<credentials_provider> make_imds_provider(boost::asio::any_io_executor executor, const environment& env);

// Tries each provider in turn; the first that returns credentials wins, an error with
// stops_chain ends the search. When every one fails, the error lists each source's reason on
// one line and says how to provide credentials.
std::unique_ptr<credentials_provider> make_chain(std::vector<std::unique_ptr<credentials_provider>> providers);
// Environment, profile, container, IMDS; with an explicit `profile` (--profile) the environment
// provider is left out, as the AWS CLI does.
std::unique_ptr<credentials_provider> make_default_chain(boost::asio::any_io_executor executor, const environment& env,
                                                         std::optional<std::string> profile);

// Caches what `source` returns and fetches again once the credentials are within
// `refresh_ahead` of their expiration, so a long run never signs with expired keys. When that
// early refresh fails, the cached credentials are used until they expire, with a new attempt at
// most every `minimum_refresh_interval`. Credentials without expiration are never refreshed.
// Concurrent get() calls share one fetch: while it runs, callers get the cached credentials if
// they have not expired, else they wait for its result.
// Not thread-safe: every get() on the same io_context thread. Must outlive its get() calls.
class credentials_cache {
 public:
  using clock_function = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::chrono::seconds minimum_refresh_interval{10};

  explicit credentials_cache(std::unique_ptr<credentials_provider> source,
                             std::chrono::seconds refresh_ahead = std::chrono::minutes(5),
                             clock_function now = [] { return std::chrono::system_clock::now(); });
  ~credentials_cache();
  credentials_cache(const credentials_cache&) = delete;
  credentials_cache& operator=(const credentials_cache&) = delete;

  boost::asio::awaitable<credentials_result> get();
  std::size_t fetches() const noexcept { return fetches_; }

 private:
  struct in_flight;
  bool refresh_due(std::chrono::system_clock::time_point now) const noexcept;
  bool usable(std::chrono::system_clock::time_point now) const noexcept;

  std::unique_ptr<credentials_provider> source_;
  std::chrono::seconds refresh_ahead_;
  clock_function now_;
  std::optional<credentials> cached_;
  std::optional<std::chrono::system_clock::time_point> last_attempt_;
  std::shared_ptr<in_flight> in_flight_;  // the fetch running now, if any
  std::size_t fetches_ = 0;
};

}  // namespace scavenger::aws
