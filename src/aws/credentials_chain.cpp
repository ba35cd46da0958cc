// The chain: the first provider with credentials wins.

#include "aws/credentials_chain.hpp"

namespace scavenger::aws {
namespace {

// Provider messages must be one line; a transport detail could still carry a line break.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return text;
}

class chain_provider final : public credentials_provider {
 public:
  explicit chain_provider(std::vector<std::unique_ptr<credentials_provider>> providers)
      : providers_(std::move(providers)) {}

  boost::asio::awaitable<credentials_result> fetch() override {
    std::string reasons;
    for (const auto& provider : providers_) {
      auto result = co_await provider->fetch();
      if (result) {
        co_return result;
      }
      std::string reason = provider->name() + ": " + one_line(std::move(result.error().message));
      if (result.error().stops_chain) {
        co_return credentials_error{"AWS credentials from " + reason, true};
      }
      reasons += reasons.empty() ? reason : "; " + reason;
    }
    co_return credentials_error{
        "no AWS credentials found (" + (reasons.empty() ? std::string("no sources") : reasons) +
        "): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in a profile of ~/.aws/credentials "
        "(chosen with --profile or AWS_PROFILE), or run with a container or EC2 instance role"};
  }

  std::string name() const override { return "chain"; }

 private:
  std::vector<std::unique_ptr<credentials_provider>> providers_;
};

}  // namespace

std::unique_ptr<credentials_provider> make_chain(std::vector<std::unique_ptr<credentials_provider>> providers) {
  return std::make_unique<chain_provider>(std::move(providers));
}

std::unique_ptr<credentials_provider> make_default_chain(boost::asio::any_io_executor executor, const environment& env,
                                                         std::optional<std::string> profile) {
  std::vector<std::unique_ptr<credentials_provider>> providers;
  // As in the AWS CLI (botocore's create_credential_resolver), an explicit --profile removes the
  // environment provider: whoever names a profile on the command line means that profile.
  // AWS_PROFILE does not: keys in the environment still win over it.
  if (!profile || profile->empty()) {
    providers.push_back(make_environment_provider(env));
  }
  providers.push_back(make_profile_provider(env, std::move(profile)));
  providers.push_back(make_container_provider(executor, env));
  providers.push_back(make_imds_provider(std::move(executor), env));
  return make_chain(std::move(providers));
}

}  // namespace scavenger::aws
