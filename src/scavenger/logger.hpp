#pragma once
// Logs on stderr (SPEC §7): one line per event, text for people or JSON lines (Lambda), never a
// line per item unless the level is debug. Fields are structured, not printf-formatted. JSON
// lines carry their time (RFC 3339, milliseconds), so what a run did can be put on a timeline.
//
// Thread safety: none; log from the io_context thread.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace scavenger::core {

enum class log_level { debug, info, warn, error };

class logger {
 public:
  using field = std::pair<std::string_view, std::string>;

  logger(log_level threshold, bool json) : threshold_(threshold), json_(json) {}
  static log_level parse_level(std::string_view text) noexcept;  // unknown: info

  bool enabled(log_level level) const noexcept { return level >= threshold_; }
  void log(log_level level, std::string_view message, std::initializer_list<field> fields = {}) const;
  void debug(std::string_view message, std::initializer_list<field> fields = {}) const { log(log_level::debug, message, fields); }
  void info(std::string_view message, std::initializer_list<field> fields = {}) const { log(log_level::info, message, fields); }
  void warn(std::string_view message, std::initializer_list<field> fields = {}) const { log(log_level::warn, message, fields); }
  void error(std::string_view message, std::initializer_list<field> fields = {}) const { log(log_level::error, message, fields); }

 private:
  log_level threshold_;
  bool json_;
};

}  // namespace scavenger::core
