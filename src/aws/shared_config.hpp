#pragma once
// The AWS shared files: ~/.aws/credentials ("[NAME]" sections) and ~/.aws/config
// ("[default]" and "[profile NAME]" sections), INI syntax as the AWS CLI reads it
// (botocore's configparser): "key = value" or "key: value", keys case-insensitive,
// whole-line "#" and ";" comments, indented sub-section lines ("s3 =\n  key = value") skipped.
//
// Thread safety: pure functions of their arguments and of the files they read.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "aws/environment.hpp"

namespace scavenger::aws {

// Keys of one profile (lower case); credentials-file values override config-file values of the same key.
using profile = std::map<std::string, std::string, std::less<>>;

// The profile to use: `explicit_profile` (--profile), else AWS_PROFILE, else "default".
std::string selected_profile_name(const environment& env, const std::optional<std::string>& explicit_profile);

// True when the profile was chosen by --profile or AWS_PROFILE rather than by default.
bool profile_explicitly_selected(const environment& env, const std::optional<std::string>& explicit_profile);

// Parses INI text into sections. `config_file_syntax` turns "[profile NAME]" into NAME and
// ignores other sections except "[default]" (as the AWS CLI does for the config file).
std::map<std::string, profile, std::less<>> parse_profiles(std::string_view text, bool config_file_syntax);

// AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials; nullopt without either.
// A leading "~/" is expanded with HOME, as the AWS CLI does.
std::optional<std::string> credentials_file_path(const environment& env);
// AWS_CONFIG_FILE, else $HOME/.aws/config; nullopt without either.
std::optional<std::string> config_file_path(const environment& env);

// Loads the named profile from both files (missing files are fine). The error is returned
// only when a file exists but cannot be read; nullopt when neither file has the profile.
boost::system::result<std::optional<profile>, std::string> load_profile(const environment& env, std::string_view name);

}  // namespace scavenger::aws
