#include "lambda/event.hpp"

#include <simdjson.h>

#include <charconv>
#include <map>

#include "aws/rfc3339.hpp"
#include "scavenger/cursor_json.hpp"

namespace scavenger::lambda {

namespace {

// The event's own fields besides the options.
constexpr std::string_view cursors_field = "cursors";
constexpr std::string_view cutoff_field = "cutoff";
constexpr std::string_view command_field = "command";

struct field_info {
  std::string option;
  core::option_kind kind;
};

// camelCase field -> option, built once from the option specs so a new option is an event
// field without further work here.
const std::map<std::string, field_info, std::less<>>& fields() {
  static const auto table = [] {
    std::map<std::string, field_info, std::less<>> built;
    for (const auto& spec : core::run_option_specs()) {
      built.emplace(core::event_field_name(spec.name), field_info{std::string(spec.name), spec.kind});
    }
    return built;
  }();
  return table;
}

std::string_view type_name(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

event_error wrong_type(std::string_view field, std::string_view expected, simdjson::dom::element value) {
  return {std::string(field), "event field '" + std::string(field) + "' must be " + std::string(expected) + ", not " +
                                  std::string(type_name(value.type()))};
}

// A JSON number as text parse_run_settings reads: integers exactly, doubles shortest round-trip.
std::string number_text(simdjson::dom::element value) {
  using simdjson::dom::element_type;
  if (value.type() == element_type::INT64) return std::to_string(value.get_int64().value_unsafe());
  if (value.type() == element_type::UINT64) return std::to_string(value.get_uint64().value_unsafe());
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double().value_unsafe());
  return ec == std::errc{} ? std::string(buffer, end) : std::string();
}

bool is_number(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  return type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
}

using text_result = boost::system::result<std::string, event_error>;

// Explicit: an event_error is an aggregate of strings, so a bare string would be ambiguous.
text_result text_value(std::string text) { return text_result(boost::system::in_place_value, std::move(text)); }

// One option field's value as text, or an error naming the field.
text_result option_text(std::string_view field, const field_info& info,
                                                             simdjson::dom::element value) {
  using simdjson::dom::element_type;
  const auto type = value.type();
  if (type == element_type::STRING) return text_value(std::string(value.get_string().value_unsafe()));
  if (info.kind == core::option_kind::flag) {
    if (type == element_type::BOOL) return text_value(value.get_bool().value_unsafe() ? "true" : "false");
    return wrong_type(field, "a boolean", value);
  }
  // Expression attributes are JSON objects in an event, as in the DynamoDB API itself.
  const bool json_object = info.option == "expression-attribute-names" || info.option == "expression-attribute-values";
  if (json_object) {
    if (type == element_type::OBJECT) return text_value(simdjson::minify(value));
    return wrong_type(field, "an object or a string", value);
  }
  if (is_number(type)) return text_value(number_text(value));
  return wrong_type(field, "a string or a number", value);
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

std::string known_event_fields() {
  std::string list;
  for (const auto& [field, info] : fields()) list += (list.empty() ? "" : ", ") + field;
  for (auto own : {command_field, cursors_field, cutoff_field}) list += ", " + std::string(own);
  return list;
}

std::optional<std::string> option_of_event_field(std::string_view field) {
  auto found = fields().find(field);
  if (found == fields().end()) return std::nullopt;
  return found->second.option;
}

boost::system::result<invocation_event, event_error> parse_event(std::string_view json) {
  invocation_event event;
  if (blank(json)) return event;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string padded(json);
  if (auto failure = parser.parse(padded).get(root)) {
    return event_error{"", std::string("the event is not JSON: ") + simdjson::error_message(failure)};
  }
  if (root.is_null()) return event;
  if (!root.is_object()) return event_error{"", "the event must be a JSON object, not " + std::string(type_name(root.type()))};

  simdjson::dom::object members;
  if (root.get_object().get(members)) return event_error{"", "the event must be a JSON object"};
  for (auto [key, value] : members) {
    if (value.is_null()) continue;  // absent: falls back to the environment
    if (key == command_field) {
      if (!value.is_string()) return wrong_type(key, "\"run\" or \"plan\"", value);
      const std::string_view command = value.get_string().value_unsafe();
      if (command == "run") {
        event.command = core::run_command::run;
      } else if (command == "plan") {
        event.command = core::run_command::plan;
      } else {
        return event_error{std::string(key), "event field 'command' is '" + std::string(command) + "': use \"run\" or \"plan\""};
      }
    } else if (key == cursors_field) {
      if (!value.is_array()) return wrong_type(key, "an array of cursors", value);
      auto parsed = core::parse_cursors(simdjson::minify(value));
      if (!parsed) return event_error{std::string(key), "event field 'cursors': " + parsed.error().message};
      event.cursors = std::move(*parsed);
    } else if (key == cutoff_field) {
      if (!value.is_string()) return wrong_type(key, "an RFC 3339 string", value);
      const std::string_view text = value.get_string().value_unsafe();
      event.cutoff = aws::parse_rfc3339(text);
      if (!event.cutoff) {
        return event_error{std::string(key), "event field 'cutoff' '" + std::string(text) +
                                                 "' is not an RFC 3339 time such as 2026-11-24T12:00:00Z"};
      }
    } else if (auto found = fields().find(key); found != fields().end()) {
      auto text = option_text(key, found->second, value);
      if (!text) return text.error();
      event.options[found->second.option] = std::move(*text);
    } else {
      return event_error{std::string(key), "unknown field '" + std::string(key) + "' in the event; known fields: " + known_event_fields()};
    }
  }
  return event;
}

}  // namespace scavenger::lambda
