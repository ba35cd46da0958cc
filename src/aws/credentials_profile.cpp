// Static credentials from a profile of the shared files (~/.aws/credentials, ~/.aws/config).

#include <array>
#include <string_view>

#include "aws/credentials_chain.hpp"
#include "aws/shared_config.hpp"

namespace scavenger::aws {
namespace {

// Keys that make botocore use another provider *before* the profile's static keys (assume-role,
// web identity, SSO come first in its chain): a profile with any of them means a different
// identity than its static keys, so it is refused even when it also has keys.
constexpr std::array<std::string_view, 4> identity_changing_keys{"role_arn", "web_identity_token_file",
                                                                 "sso_start_url", "sso_session"};
// Only consulted when the profile has no static keys (botocore tries it after them).
constexpr std::string_view credential_process_key = "credential_process";

class profile_provider final : public credentials_provider {
 public:
  profile_provider(const environment& env, const std::optional<std::string>& explicit_profile)
      : env_(env),
        profile_name_(selected_profile_name(env, explicit_profile)),
        explicitly_selected_(profile_explicitly_selected(env, explicit_profile)) {}

  boost::asio::awaitable<credentials_result> fetch() override { co_return read(); }

  std::string name() const override { return "profile " + profile_name_; }

 private:
  // "~/.aws/credentials or ~/.aws/config", for messages.
  std::string files_looked_at() const {
    const auto credentials_file = credentials_file_path(env_);
    const auto config_file = config_file_path(env_);
    if (!credentials_file && !config_file) {
      return "no shared files (HOME, AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are not set)";
    }
    std::string files;
    for (const auto& file : {credentials_file, config_file}) {
      if (file) {
        files += files.empty() ? *file : " or " + *file;
      }
    }
    return files;
  }

  std::string quoted_name() const { return "profile '" + profile_name_ + "'"; }

  credentials_result read() const {
    auto loaded = load_profile(env_, profile_name_);
    if (!loaded) {
      return credentials_error{loaded.error(), true};
    }
    if (!*loaded) {
      return credentials_error{quoted_name() + " not found in " + files_looked_at(), explicitly_selected_};
    }
    const profile& values = **loaded;
    const auto value_of = [&values](std::string_view key) -> std::string {
      const auto found = values.find(key);
      return found == values.end() ? std::string() : found->second;
    };

    for (const std::string_view key : identity_changing_keys) {
      if (!value_of(key).empty()) {
        return unsupported(key);
      }
    }
    std::string access_key_id = value_of("aws_access_key_id");
    std::string secret_access_key = value_of("aws_secret_access_key");
    if (access_key_id.empty() && secret_access_key.empty()) {
      if (!value_of(credential_process_key).empty()) {
        return unsupported(credential_process_key);
      }
      return credentials_error{quoted_name() + " has no aws_access_key_id and aws_secret_access_key (in " +
                                   files_looked_at() + ")",
                               explicitly_selected_};
    }
    if (secret_access_key.empty() || access_key_id.empty()) {
      const std::string_view missing = access_key_id.empty() ? "aws_access_key_id" : "aws_secret_access_key";
      return credentials_error{quoted_name() + " has no " + std::string(missing) + " (in " + files_looked_at() + ")",
                               true};
    }
    return credentials{std::move(access_key_id), std::move(secret_access_key), value_of("aws_session_token"),
                       std::nullopt};
  }

  credentials_error unsupported(std::string_view key) const {
    return credentials_error{quoted_name() + " uses " + std::string(key) +
                                 ", which scavenger does not support (static keys only): export the credentials, "
                                 "e.g. with `aws configure export-credentials --profile " +
                                 profile_name_ + " --format env`",
                             true};
  }

  const environment& env_;
  std::string profile_name_;
  bool explicitly_selected_;
};

}  // namespace

std::unique_ptr<credentials_provider> make_profile_provider(const environment& env,
                                                            std::optional<std::string> profile_name) {
  return std::make_unique<profile_provider>(env, profile_name);
}

}  // namespace scavenger::aws
