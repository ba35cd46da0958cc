// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.

#include "aws/credentials_chain.hpp"

namespace scavenger::aws {
namespace {

class environment_provider final : public credentials_provider {
 public:
  explicit environment_provider(const environment& env) : env_(env) {}

  boost::asio::awaitable<credentials_result> fetch() override { co_return read(); }

  std::string name() const override { return "environment"; }

 private:
  credentials_result read() const {
    auto access_key_id = env_.get("AWS_ACCESS_KEY_ID");
    auto secret_access_key = env_.get("AWS_SECRET_ACCESS_KEY");
    if (!access_key_id && !secret_access_key) {
      return credentials_error{"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"};
    }
    // Half a key pair is a mistake, not an absence: botocore raises PartialCredentialsError.
    if (!secret_access_key) {
      return credentials_error{"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", true};
    }
    if (!access_key_id) {
      return credentials_error{"AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not", true};
    }
    return credentials{std::move(*access_key_id), std::move(*secret_access_key),
                       env_.get("AWS_SESSION_TOKEN").value_or(""), std::nullopt};
  }

  const environment& env_;
};

}  // namespace

std::unique_ptr<credentials_provider> make_environment_provider(const environment& env) {
  return std::make_unique<environment_provider>(env);
}

}  // namespace scavenger::aws
