#include "scavenger/cursor_json.hpp"

#include <cstdint>

#include <simdjson.h>

namespace scavenger::core {

namespace ondemand = simdjson::ondemand;

void write_cursor(dynamodb::json_writer& out, const segment_cursor& cursor) {
  out.begin_object().key("segment").number(std::int64_t{cursor.segment});
  if (cursor.start_key.empty()) {
    out.key("start_key").null();
  } else {
    out.member_raw("start_key", cursor.start_key);
  }
  out.key("done").boolean(cursor.done).end_object();
}

void write_cursors(dynamodb::json_writer& out, const std::vector<segment_cursor>& cursors) {
  out.begin_array();
  for (const auto& cursor : cursors) write_cursor(out, cursor);
  out.end_array();
}

namespace {

config_error damaged(simdjson::error_code code) {
  return {std::string("cursors: not valid JSON (") + simdjson::error_message(code) + ")"};
}

config_error wrong_type(std::string_view field, std::string_view expected) {
  return {"\"" + std::string(field) + "\" is not " + std::string(expected)};
}

std::optional<config_error> read_cursor(ondemand::value& value, segment_cursor& out) {
  ondemand::object object;
  if (value.get_object().get(object)) return wrong_type("cursors[]", "an object");
  bool segment = false, start_key = false, done = false;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return damaged(code);
    ondemand::value member;
    if (auto code = field.value().get(member)) return damaged(code);
    if (key == "segment") {
      segment = true;
      std::int64_t number = 0;
      if (member.get_int64().get(number) || number < 0 || number >= max_total_segments) {
        return wrong_type("cursors[].segment", "a segment number from 0 to " + std::to_string(max_total_segments - 1));
      }
      out.segment = static_cast<int>(number);
    } else if (key == "start_key") {
      start_key = true;
      ondemand::json_type type;
      if (auto code = member.type().get(type)) return damaged(code);
      if (type == ondemand::json_type::null) {
        out.start_key.clear();
      } else if (type == ondemand::json_type::object) {
        // The exact text: a LastEvaluatedKey goes back to Scan byte for byte.
        std::string_view raw;
        if (auto code = simdjson::to_json_string(member).get(raw)) return damaged(code);
        out.start_key.assign(raw);
      } else {
        return wrong_type("cursors[].start_key", "an object or null");
      }
    } else if (key == "done") {
      done = true;
      if (member.get_bool().get(out.done)) return wrong_type("cursors[].done", "true or false");
    }
  }
  if (!segment) return config_error{"no \"cursors[].segment\" field"};
  if (!start_key) return config_error{"no \"cursors[].start_key\" field"};
  if (!done) return config_error{"no \"cursors[].done\" field"};
  return std::nullopt;
}

}  // namespace

boost::system::result<std::vector<segment_cursor>, config_error> parse_cursors(std::string_view json) {
  const simdjson::padded_string padded(json);
  // On-Demand validates only what it visits; the DOM parser checks the whole text first.
  simdjson::dom::parser validator;
  if (auto code = validator.parse(padded).error()) return damaged(code);
  ondemand::parser parser;
  ondemand::document document;
  if (auto code = parser.iterate(padded).get(document)) return damaged(code);
  ondemand::array array;
  if (document.get_array().get(array)) return wrong_type("cursors", "an array");
  std::vector<segment_cursor> cursors;
  for (auto element : array) {
    ondemand::value entry;
    if (auto code = element.get(entry)) return damaged(code);
    segment_cursor cursor;
    if (auto failure = read_cursor(entry, cursor)) return std::move(*failure);
    cursors.push_back(std::move(cursor));
  }
  return cursors;
}

std::optional<std::string> check_cursors(const std::vector<segment_cursor>& cursors, shard owner, int total_segments) {
  const auto owned = owned_segments(owner, total_segments);
  if (!owned) return owned.error().message;
  std::vector<bool> listed(static_cast<std::size_t>(owned->size()), false);
  for (const auto& cursor : cursors) {
    if (cursor.segment < owned->first || cursor.segment >= owned->last) {
      return "a cursor for segment " + std::to_string(cursor.segment) + ", which shard " + to_string(owner) + " of " +
             std::to_string(total_segments) + " segments does not own";
    }
    const auto index = static_cast<std::size_t>(cursor.segment - owned->first);
    if (listed[index]) return "two cursors for segment " + std::to_string(cursor.segment);
    listed[index] = true;
  }
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (!listed[i]) return "no cursor for segment " + std::to_string(owned->first + static_cast<int>(i));
  }
  return std::nullopt;
}

}  // namespace scavenger::core
