#include "aws/shared_config.hpp"

#include <cerrno>
#include <cstdio>
#include <array>
#include <memory>
#include <system_error>
#include <utility>

namespace scavenger::aws {
namespace {

constexpr std::string_view whitespace = " \t\r\n\f\v";

std::string_view trim(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(whitespace);
  return text.substr(first, last - first + 1);
}

std::string to_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// The profile a section header names, or nullopt when the section is not a profile.
// In the config file botocore keeps "[default]" and "[profile NAME]" (NAME possibly
// double-quoted) and treats every other section ("[sso-session x]", "[services x]", a bare
// "[x]") as something else; in the credentials file every section is a profile.
std::optional<std::string> profile_of_section(std::string_view header, bool config_file_syntax) {
  if (!config_file_syntax) {
    return std::string(header);
  }
  if (header == "default") {
    return std::string(header);
  }
  constexpr std::string_view prefix = "profile";
  if (!header.starts_with(prefix) || header.size() == prefix.size() || !is_blank(header[prefix.size()])) {
    return std::nullopt;
  }
  std::string_view name = trim(header.substr(prefix.size()));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(name);
}

std::optional<std::string> expand_home(std::string_view path, const environment& env) {
  if (path == "~" || path.starts_with("~/")) {
    const auto home = env.get("HOME");
    if (!home) {
      return std::nullopt;
    }
    return *home + std::string(path.substr(1));
  }
  return std::string(path);
}

std::optional<std::string> shared_file_path(const environment& env, std::string_view variable,
                                            std::string_view default_name) {
  if (const auto configured = env.get(variable)) {
    return expand_home(*configured, env);
  }
  const auto home = env.get("HOME");
  if (!home) {
    return std::nullopt;
  }
  return *home + "/.aws/" + std::string(default_name);
}

struct file_closer {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

// The file's contents; nullopt when it does not exist (the shared files are optional).
boost::system::result<std::optional<std::string>, std::string> read_optional_file(const std::string& path) {
  const std::unique_ptr<std::FILE, file_closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return std::optional<std::string>();
    }
    return {boost::system::in_place_error, "cannot read " + path + ": " + std::generic_category().message(error)};
  }
  std::string text;
  std::array<char, 4096> chunk{};
  for (;;) {
    const std::size_t read = std::fread(chunk.data(), 1, chunk.size(), file.get());
    text.append(chunk.data(), read);
    if (read < chunk.size()) {
      break;
    }
  }
  if (std::ferror(file.get()) != 0) {
    // Reading a directory fails here (EISDIR), not in fopen.
    return {boost::system::in_place_error, "cannot read " + path + ": " + std::generic_category().message(errno)};
  }
  return std::optional<std::string>(std::move(text));
}

}  // namespace

std::string selected_profile_name(const environment& env, const std::optional<std::string>& explicit_profile) {
  if (explicit_profile && !explicit_profile->empty()) {
    return *explicit_profile;
  }
  if (auto from_env = env.get("AWS_PROFILE")) {
    return *from_env;
  }
  return "default";
}

bool profile_explicitly_selected(const environment& env, const std::optional<std::string>& explicit_profile) {
  return (explicit_profile && !explicit_profile->empty()) || env.get("AWS_PROFILE").has_value();
}

std::map<std::string, profile, std::less<>> parse_profiles(std::string_view text, bool config_file_syntax) {
  std::map<std::string, profile, std::less<>> profiles;
  profile* current = nullptr;  // null: outside any section, or in a section that is not a profile
  bool section_has_key = false;
  while (!text.empty()) {
    const auto end_of_line = text.find('\n');
    const std::string_view line = text.substr(0, end_of_line);
    text.remove_prefix(end_of_line == std::string_view::npos ? text.size() : end_of_line + 1);

    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') {
      continue;
    }
    // configparser reads a line indented after a key as that key's continuation; botocore turns
    // "key =" followed by indented "sub = value" lines into a nested section (e.g. "s3 ="). None
    // of those keys matter here, so they are skipped.
    if (is_blank(line.front()) && section_has_key) {
      continue;
    }
    if (content.front() == '[') {
      const auto close = content.rfind(']');
      current = nullptr;
      section_has_key = false;
      if (close == std::string_view::npos) {
        continue;  // configparser would reject the file; we only ignore the line
      }
      if (auto name = profile_of_section(trim(content.substr(1, close - 1)), config_file_syntax)) {
        current = &profiles[std::move(*name)];
      }
      continue;
    }
    if (current == nullptr) {
      continue;
    }
    // configparser's default delimiters are "=" and ":", and the first one on the line splits.
    const auto delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos || delimiter == 0) {
      continue;
    }
    // configparser lower-cases option names (optionxform), so "AWS_ACCESS_KEY_ID = x" counts too.
    (*current)[to_lower(trim(content.substr(0, delimiter)))] = std::string(trim(content.substr(delimiter + 1)));
    section_has_key = true;
  }
  return profiles;
}

std::optional<std::string> credentials_file_path(const environment& env) {
  return shared_file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

std::optional<std::string> config_file_path(const environment& env) {
  return shared_file_path(env, "AWS_CONFIG_FILE", "config");
}

boost::system::result<std::optional<profile>, std::string> load_profile(const environment& env, std::string_view name) {
  std::optional<profile> merged;
  // Config first, then credentials: a key in both takes the credentials file's value, as in botocore.
  const std::pair<std::optional<std::string>, bool> files[] = {{config_file_path(env), true},
                                                               {credentials_file_path(env), false}};
  for (const auto& [path, config_file_syntax] : files) {
    if (!path) {
      continue;
    }
    auto text = read_optional_file(*path);
    if (!text) {
      return {boost::system::in_place_error, text.error()};
    }
    if (!text->has_value()) {
      continue;
    }
    auto sections = parse_profiles(**text, config_file_syntax);
    const auto found = sections.find(name);
    if (found == sections.end()) {
      continue;
    }
    if (!merged) {
      merged.emplace();
    }
    for (auto& [key, value] : found->second) {
      (*merged)[key] = std::move(value);
    }
  }
  return merged;
}

}  // namespace scavenger::aws
