#include "scavenger/settings.hpp"

#include <cctype>
#include <charconv>

#include "scavenger/duration.hpp"

namespace scavenger::core {

namespace {

template <class T>
boost::system::result<T, config_error> parse_number(std::string_view option, std::string_view text, T minimum) {
  T value{};
  const auto* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || stop != end || value < minimum) {
    return config_error{"--" + std::string(option) + " '" + std::string(text) + "' is not a number of at least " +
                        std::to_string(static_cast<long long>(minimum))};
  }
  return value;
}

boost::system::result<bool, config_error> parse_flag(std::string_view option, std::string_view text) {
  if (text == "true" || text == "1" || text == "yes" || text.empty()) return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return config_error{"--" + std::string(option) + " '" + std::string(text) + "' is not a boolean: use true or false"};
}

boost::system::result<std::chrono::milliseconds, config_error> parse_period(std::string_view option, std::string_view text) {
  auto parsed = parse_duration(text);
  if (!parsed) return config_error{"--" + std::string(option) + ": " + parsed.error().message};
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
}

boost::system::result<std::string, config_error> one_of(std::string_view option, std::string_view text,
                                                        const std::vector<std::string_view>& allowed) {
  std::string list;
  for (auto choice : allowed) {
    if (choice == text) return boost::system::result<std::string, config_error>(boost::system::in_place_value, text);
    list += (list.empty() ? "" : ", ") + std::string(choice);
  }
  return config_error{"--" + std::string(option) + " '" + std::string(text) + "' is not one of: " + list};
}

}  // namespace

const std::vector<option_spec>& run_option_specs() {
  static const std::vector<option_spec> specs{
      {"table", option_kind::text, "NAME", "table name (required)"},
      {"endpoint-url", option_kind::text, "URL", "DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, or AWS's)"},
      {"region", option_kind::text, "REGION", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's)"},
      {"profile", option_kind::text, "NAME", "shared-config profile (default: AWS_PROFILE, else default)"},
      {"ca-bundle", option_kind::text, "FILE", "PEM file of extra trusted CAs (default: AWS_CA_BUNDLE)"},
      {"filter", option_kind::text, "EXPR", "DynamoDB FilterExpression the items must match"},
      {"expression-attribute-names", option_kind::text, "JSON", "JSON object of #name placeholders, as the AWS CLI takes it"},
      {"expression-attribute-values", option_kind::text, "JSON", "JSON object of :value placeholders, as the AWS CLI takes it"},
      {"older-than", option_kind::text, "DURATION", "delete only items older than this: 90s, 30m, 48h, 7d, 1d12h"},
      {"age-attribute", option_kind::text, "NAME", "attribute holding each item's timestamp (required with --older-than)"},
      {"age-format", option_kind::text, "FORMAT", "rfc3339 (default), epoch-seconds or epoch-millis"},
      {"server-age-filter", option_kind::flag, "", "also send the age rule to the server as a prefilter"},
      {"all", option_kind::flag, "", "allow a run with no filter and no age rule (deletes every item)"},
      {"segments", option_kind::text, "N", "Scan TotalSegments (default 8)"},
      {"readers", option_kind::text, "N", "concurrent segment scans (default: segments, at most 16)"},
      {"page-size", option_kind::text, "N", "Scan Limit: items per page (default: 1 MB pages)"},
      {"deleters", option_kind::text, "N", "delete requests in flight (default 32)"},
      {"delete-mode", option_kind::text, "MODE", "conditional (default: DeleteItem re-checking the predicate) or batch"},
      {"max-deletes", option_kind::text, "N", "stop after this many deletes (exit 3)"},
      {"deleted-log", option_kind::text, "FILE", "append each deleted key to this file, one JSON line"},
      {"timeout", option_kind::text, "DURATION", "run deadline, e.g. 10m (exit 3 with cursors when reached)"},
      {"deadline-margin", option_kind::text, "DURATION", "time kept back before a Lambda deadline (default 3s)"},
      {"checkpoint", option_kind::text, "FILE", "write a checkpoint file (atomically) every interval and at exit"},
      {"checkpoint-interval", option_kind::text, "DURATION", "seconds between checkpoints (default 5s)"},
      {"resume", option_kind::text, "FILE", "continue from this checkpoint file"},
      {"shard", option_kind::text, "I/N", "I/N: own segments [I*T/N, (I+1)*T/N) of the T segments (default 0/1)"},
      {"max-rcu", option_kind::text, "UNITS", "read capacity units per second to spend at most"},
      {"max-wcu", option_kind::text, "UNITS", "write capacity units per second to spend at most"},
      {"max-attempts", option_kind::text, "N", "attempts per request on retryable errors (default 10)"},
      {"request-timeout", option_kind::text, "DURATION", "deadline of one request (default 10s)"},
      {"consistent-read", option_kind::flag, "", "strongly consistent Scan"},
      {"output", option_kind::text, "FORMAT", "summary format on stdout: json (default) or text"},
      {"progress", option_kind::text, "WHEN", "progress line on stderr: auto (when a terminal), always, never"},
      {"log-level", option_kind::text, "LEVEL", "debug, info (default), warn or error"},
      {"log-format", option_kind::text, "FORMAT", "text (default) or json"},
  };
  return specs;
}

std::string environment_name(std::string_view option) {
  std::string name = "SCAVENGER_";
  for (char c : option) name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string event_field_name(std::string_view option) {
  std::string name;
  bool upper = false;
  for (char c : option) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

option_values options_from_environment(const aws::environment& env) {
  option_values values;
  // The original Go scavenger's variables, below ours in precedence.
  const std::pair<std::string_view, std::string_view> original_names[] = {
      {"table", "WorkersTableName"}, {"segments", "TotalSegments"}, {"deleters", "MaxDelRoutines"}};
  for (auto [option, variable] : original_names) {
    if (auto value = env.get(variable)) values[std::string(option)] = *value;
  }
  for (const auto& spec : run_option_specs()) {
    if (auto value = env.get(environment_name(spec.name))) values[std::string(spec.name)] = *value;
  }
  return values;
}

option_values merge_sources(const option_values& flags, const option_values& event, const option_values& environment) {
  option_values merged = environment;
  for (const auto& [name, value] : event) merged[name] = value;
  for (const auto& [name, value] : flags) merged[name] = value;
  return merged;
}

boost::system::result<run_settings, config_error> parse_run_settings(run_command command, const option_values& values) {
  run_settings settings;
  auto& run = settings.run;
  run.command = command;
  auto text = [&](std::string_view name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };

  run.table = text("table").value_or("");
  settings.connection.endpoint_url = text("endpoint-url");
  settings.connection.region = text("region");
  settings.connection.profile = text("profile");
  settings.connection.ca_bundle = text("ca-bundle");
  run.filter = text("filter").value_or("");
  run.expression_attribute_names = text("expression-attribute-names").value_or("");
  run.expression_attribute_values = text("expression-attribute-values").value_or("");
  run.age_attribute = text("age-attribute").value_or("");
  run.deleted_log = text("deleted-log").value_or("");
  run.checkpoint_path = text("checkpoint").value_or("");
  run.resume_path = text("resume").value_or("");

  if (auto value = text("older-than")) {
    auto parsed = parse_duration(*value);
    if (!parsed) return config_error{"--older-than: " + parsed.error().message};
    run.older_than = *parsed;
  }
  if (auto value = text("age-format")) {
    auto parsed = parse_age_format(*value);
    if (!parsed) return parsed.error();
    run.age_format_value = *parsed;
  }
  for (auto [name, target] : {std::pair{"server-age-filter", &run.server_age_filter}, std::pair{"all", &run.all},
                              std::pair{"consistent-read", &run.consistent_read}}) {
    if (auto value = text(name)) {
      auto parsed = parse_flag(name, *value);
      if (!parsed) return parsed.error();
      *target = *parsed;
    }
  }
  if (auto value = text("segments")) {
    auto parsed = parse_number<int>("segments", *value, 1);
    if (!parsed) return parsed.error();
    run.segments = *parsed;
  }
  if (auto value = text("readers")) {
    auto parsed = parse_number<int>("readers", *value, 1);
    if (!parsed) return parsed.error();
    run.readers = *parsed;
  }
  if (auto value = text("deleters")) {
    auto parsed = parse_number<int>("deleters", *value, 1);
    if (!parsed) return parsed.error();
    run.deleters = *parsed;
  }
  if (auto value = text("page-size")) {
    auto parsed = parse_number<std::int64_t>("page-size", *value, 1);
    if (!parsed) return parsed.error();
    run.page_size = *parsed;
  }
  if (auto value = text("max-deletes")) {
    auto parsed = parse_number<std::int64_t>("max-deletes", *value, 1);
    if (!parsed) return parsed.error();
    run.max_deletes = *parsed;
  }
  if (auto value = text("max-attempts")) {
    auto parsed = parse_number<int>("max-attempts", *value, 1);
    if (!parsed) return parsed.error();
    run.retry.max_attempts = *parsed;
  }
  for (auto [name, target] : {std::pair{"max-rcu", &run.max_rcu}, std::pair{"max-wcu", &run.max_wcu}}) {
    if (auto value = text(name)) {
      auto parsed = parse_number<double>(name, *value, 1.0);
      if (!parsed) return parsed.error();
      *target = *parsed;
    }
  }
  if (auto value = text("delete-mode")) {
    auto parsed = parse_delete_mode(*value);
    if (!parsed) return parsed.error();
    run.mode = *parsed;
  }
  if (auto value = text("shard")) {
    auto parsed = parse_shard(*value);
    if (!parsed) return parsed.error();
    run.owner = *parsed;
  }
  if (auto value = text("timeout")) {
    auto parsed = parse_period("timeout", *value);
    if (!parsed) return parsed.error();
    settings.timeout = *parsed;
  }
  if (auto value = text("deadline-margin")) {
    auto parsed = parse_period("deadline-margin", *value);
    if (!parsed) return parsed.error();
    settings.deadline_margin = *parsed;
  }
  if (auto value = text("checkpoint-interval")) {
    auto parsed = parse_period("checkpoint-interval", *value);
    if (!parsed) return parsed.error();
    run.checkpoint_interval = *parsed;
  }
  if (auto value = text("request-timeout")) {
    auto parsed = parse_period("request-timeout", *value);
    if (!parsed) return parsed.error();
    settings.request_timeout = *parsed;
  }
  // Vectors, not initializer_lists: a list's array would not outlive this initialisation.
  const std::tuple<std::string_view, std::string*, std::vector<std::string_view>> choices[] = {
      {"output", &settings.output, {"json", "text"}},
      {"progress", &settings.progress, {"auto", "always", "never"}},
      {"log-level", &settings.log_level, {"debug", "info", "warn", "error"}},
      {"log-format", &settings.log_format, {"text", "json"}},
  };
  for (const auto& [name, target, allowed] : choices) {
    if (auto value = text(name)) {
      auto parsed = one_of(name, *value, allowed);
      if (!parsed) return parsed.error();
      *target = *parsed;
    }
  }
  return settings;
}

}  // namespace scavenger::core
