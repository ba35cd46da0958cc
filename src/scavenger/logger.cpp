#include "scavenger/logger.hpp"

#include <cstdio>

#include "aws/rfc3339.hpp"
#include "dynamodb/json_writer.hpp"

namespace scavenger::core {

namespace {

std::string_view level_name(log_level level) noexcept {
  switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
  }
  return "info";
}

}  // namespace

log_level logger::parse_level(std::string_view text) noexcept {
  if (text == "debug") return log_level::debug;
  if (text == "warn") return log_level::warn;
  if (text == "error") return log_level::error;
  return log_level::info;
}

void logger::log(log_level level, std::string_view message, std::initializer_list<field> fields) const {
  if (!enabled(level)) return;
  std::string line;
  if (json_) {
    dynamodb::json_writer out;
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    out.begin_object().member("time", aws::format_rfc3339_utc(now)).member("level", level_name(level)).member("message", message);
    for (const auto& [name, value] : fields) out.member(name, value);
    out.end_object();
    line = std::move(out).str();
  } else {
    line = "scavenger: " + std::string(level_name(level)) + ": " + std::string(message);
    for (const auto& [name, value] : fields) line += " " + std::string(name) + "=" + value;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace scavenger::core
