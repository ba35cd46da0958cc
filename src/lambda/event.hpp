#pragma once
// The invocation event (SPEC §7 "Lambda"): a JSON object whose fields are the options in
// camelCase, plus `cursors` and `cutoff` as a previous response gave them and `command`
// ("run", the default, or "plan"). An unknown field is an error, never ignored: a typo such as
// `olderThen` must not silently change what gets deleted.
//
// Thread safety: pure functions.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "scavenger/segment_cursor.hpp"
#include "scavenger/settings.hpp"

namespace scavenger::lambda {

struct invocation_event {
  core::run_command command = core::run_command::run;
  core::option_values options;  // option name ("older-than") -> text, as parse_run_settings reads it
  std::optional<std::vector<core::segment_cursor>> cursors;
  std::optional<std::chrono::system_clock::time_point> cutoff;
};

struct event_error {
  std::string field;    // the event field at fault ("olderThen"); "" when the event is not an object
  std::string message;  // one line naming the field and what is wrong with it
};

// Found by argument-dependent lookup: result<T, event_error>::value() throws std::runtime_error(message).
[[noreturn]] inline void throw_exception_from_error(const event_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

// Strings are taken as given; numbers as their JSON text; booleans as "true"/"false";
// `expressionAttributeNames`/`expressionAttributeValues` as JSON objects (kept as their JSON
// text) or strings. A field whose value is null counts as absent, so a Step Functions loop may
// pass a previous response's `cutoff: null` back. An empty body is an empty event.
boost::system::result<invocation_event, event_error> parse_event(std::string_view json);

// Every field name parse_event accepts, comma-separated, for messages.
std::string known_event_fields();

// An event field's option ("olderThan" -> "older-than"), or nullopt.
std::optional<std::string> option_of_event_field(std::string_view field);

}  // namespace scavenger::lambda
