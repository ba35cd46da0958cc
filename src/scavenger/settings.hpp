#pragma once
// Where every option's value comes from (SPEC §7): a flag, a Lambda event field (camelCase), an
// environment variable (SCAVENGER_<UPPER_SNAKE>, and the original's WorkersTableName,
// TotalSegments, MaxDelRoutines), or the default; precedence in that order. The sources are
// collected as text, merged here, then parsed once into typed run settings, so the CLI and the
// Lambda runtime parse identically.
//
// Thread safety: pure functions over plain values.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "aws/endpoint.hpp"
#include "aws/environment.hpp"
#include "scavenger/config_error.hpp"
#include "scavenger/run.hpp"

namespace scavenger::core {

enum class option_kind { text, flag };

struct option_spec {
  std::string_view name;  // the flag without dashes: "older-than"
  option_kind kind;
  std::string_view placeholder;  // what --help shows for the value: "DURATION", "N" ("" for flags)
  std::string_view help;
};

// Every option of `plan` and `run`, in --help order.
const std::vector<option_spec>& run_option_specs();

// "older-than" -> "SCAVENGER_OLDER_THAN"; "older-than" -> "olderThan".
std::string environment_name(std::string_view option);
std::string event_field_name(std::string_view option);

// Option name -> text, one map per source.
using option_values = std::map<std::string, std::string, std::less<>>;

// Reads every known option's variable from the environment (the original's names too).
option_values options_from_environment(const aws::environment& env);

// flags > event > environment, per option.
option_values merge_sources(const option_values& flags, const option_values& event, const option_values& environment);

// Everything a `plan` or `run` needs besides the DynamoDB client.
struct run_settings {
  run_options run;
  aws::connection_settings connection;
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds deadline_margin{3000};
  std::chrono::milliseconds request_timeout{10'000};
  std::string output = "json";    // json | text
  std::string progress = "auto";  // auto | always | never
  std::string log_level = "info";
  std::string log_format = "text";
};

// Parses merged option texts. Each error is one line naming the option, the bad value and a fix.
boost::system::result<run_settings, config_error> parse_run_settings(run_command command, const option_values& values);

}  // namespace scavenger::core
