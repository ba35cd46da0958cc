#pragma once
// The AWS shared files: ~/.aws/credentials ("[NAME]" sections) and ~/.aws/config
// ("[default]" and "[profile NAME]" sections), INI syntax as the AWS CLI reads it.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "aws/environment.hpp"

namespace scavenger::aws {

// Keys of one profile; credentials-file values override config-file values of the same key.
using profile = std::map<std::string, std::string, std::less<>>;

// The profile to use: `explicit_profile` (--profile), else AWS_PROFILE, else "default".
std::string selected_profile_name(const environment& env, const std::optional<std::string>& explicit_profile);

// Parses INI text into sections. `config_file_syntax` turns "[profile NAME]" into NAME.
std::map<std::string, profile, std::less<>> parse_profiles(std::string_view text, bool config_file_syntax);

// Loads the named profile from both files (missing files are fine). The error is returned
// only when a file exists but cannot be read.
boost::system::result<std::optional<profile>, std::string> load_profile(const environment& env, std::string_view name);

}  // namespace scavenger::aws
