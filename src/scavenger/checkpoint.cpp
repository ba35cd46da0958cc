// The checkpoint's JSON form: written with json_writer, read with simdjson On-Demand, which
// hands back the raw text of the embedded JSON (start keys, names, values) exactly as stored
// (DOM would give a re-serialised text: the same values, but not the same bytes).
#include "scavenger/checkpoint.hpp"

#include <cstdint>
#include <stdexcept>

#include <simdjson.h>

#include "aws/rfc3339.hpp"
#include "dynamodb/json_writer.hpp"
#include "scavenger/cursor_json.hpp"

namespace scavenger::core {

namespace ondemand = simdjson::ondemand;

void throw_exception_from_error(const checkpoint_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

namespace {

void string_or_null(dynamodb::json_writer& out, std::string_view name, std::string_view value) {
  out.key(name);
  if (value.empty()) {
    out.null();
  } else {
    out.string(value);
  }
}

}  // namespace

std::string to_json(const checkpoint& saved) {
  dynamodb::json_writer out;
  out.begin_object()
      .key("version").number(std::int64_t{checkpoint_version})
      .member("table", saved.table)
      .key("total_segments").number(std::int64_t{saved.total_segments})
      .member("shard", to_string(saved.shard));
  const auto& predicate = saved.predicate;
  out.key("predicate").begin_object();
  string_or_null(out, "filter", predicate.filter);
  out.member_raw("expression_attribute_names",
                 predicate.expression_attribute_names.empty() ? "{}" : predicate.expression_attribute_names);
  out.member_raw("expression_attribute_values",
                 predicate.expression_attribute_values.empty() ? "{}" : predicate.expression_attribute_values);
  string_or_null(out, "age_attribute", predicate.age_attribute);
  string_or_null(out, "age_format", predicate.age_format);
  string_or_null(out, "cutoff", predicate.cutoff ? aws::format_rfc3339_utc(*predicate.cutoff) : std::string());
  out.end_object();
  out.key("cursors");
  write_cursors(out, saved.cursors);
  out.end_object();
  return std::move(out).str();
}

namespace {

// Failures while reading carry the field's dotted path so the message can name it.
struct read_failure {
  std::string message;
};

read_failure wrong_type(std::string_view field, std::string_view expected) {
  return {"\"" + std::string(field) + "\" is not " + std::string(expected)};
}

read_failure damaged(simdjson::error_code code) {
  return {std::string("not valid JSON (") + simdjson::error_message(code) + ")"};
}

bool is_null(ondemand::value& value) {
  ondemand::json_type type;
  return !value.type().get(type) && type == ondemand::json_type::null;
}

std::optional<read_failure> read_string(ondemand::value& value, std::string_view field, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text)) return wrong_type(field, "a string");
  out.assign(text);
  return std::nullopt;
}

// null reads as "" (none); an empty string would be ambiguous, so it is refused.
std::optional<read_failure> read_string_or_null(ondemand::value& value, std::string_view field, std::string& out) {
  if (is_null(value)) {
    out.clear();
    return std::nullopt;
  }
  if (auto failure = read_string(value, field, out)) return failure;
  if (out.empty()) return wrong_type(field, "a non-empty string or null");
  return std::nullopt;
}

std::optional<read_failure> read_raw_object(ondemand::value& value, std::string_view field, std::string& out) {
  ondemand::json_type type;
  if (value.type().get(type) || type != ondemand::json_type::object) return wrong_type(field, "an object");
  std::string_view raw;
  if (auto code = simdjson::to_json_string(value).get(raw)) return damaged(code);
  out.assign(raw);
  return std::nullopt;
}

std::optional<read_failure> read_int(ondemand::value& value, std::string_view field, std::int64_t low,
                                     std::int64_t high, int& out) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) || number < low || number > high) {
    return wrong_type(field, "a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }
  out = static_cast<int>(number);
  return std::nullopt;
}

std::optional<read_failure> read_predicate(ondemand::value& value, checkpoint_predicate& out) {
  ondemand::object object;
  if (value.get_object().get(object)) return wrong_type("predicate", "an object");
  bool filter = false, names = false, values = false, age_attribute = false, age_format = false, cutoff = false;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return damaged(code);
    ondemand::value member;
    if (auto code = field.value().get(member)) return damaged(code);
    std::optional<read_failure> failure;
    if (key == "filter") {
      filter = true;
      failure = read_string_or_null(member, "predicate.filter", out.filter);
    } else if (key == "expression_attribute_names") {
      names = true;
      failure = read_raw_object(member, "predicate.expression_attribute_names", out.expression_attribute_names);
    } else if (key == "expression_attribute_values") {
      values = true;
      failure = read_raw_object(member, "predicate.expression_attribute_values", out.expression_attribute_values);
    } else if (key == "age_attribute") {
      age_attribute = true;
      failure = read_string_or_null(member, "predicate.age_attribute", out.age_attribute);
    } else if (key == "age_format") {
      age_format = true;
      failure = read_string_or_null(member, "predicate.age_format", out.age_format);
    } else if (key == "cutoff") {
      cutoff = true;
      std::string text;
      failure = read_string_or_null(member, "predicate.cutoff", text);
      if (!failure && !text.empty()) {
        out.cutoff = aws::parse_rfc3339(text);
        if (!out.cutoff) failure = wrong_type("predicate.cutoff", "an RFC 3339 time");
      }
    }
    if (failure) return failure;
  }
  const auto missing = [](std::string_view field) { return read_failure{"no \"" + std::string(field) + "\" field"}; };
  if (!filter) return missing("predicate.filter");
  if (!names) return missing("predicate.expression_attribute_names");
  if (!values) return missing("predicate.expression_attribute_values");
  if (!age_attribute) return missing("predicate.age_attribute");
  if (!age_format) return missing("predicate.age_format");
  if (!cutoff) return missing("predicate.cutoff");
  return std::nullopt;
}

// The cursors array's raw text goes to parse_cursors, the reader the Lambda event shares.
std::optional<read_failure> read_cursors(ondemand::value& value, std::vector<segment_cursor>& out) {
  ondemand::json_type type;
  if (value.type().get(type) || type != ondemand::json_type::array) return wrong_type("cursors", "an array");
  std::string_view raw;
  if (auto code = simdjson::to_json_string(value).get(raw)) return damaged(code);
  auto parsed = parse_cursors(raw);
  if (!parsed) return read_failure{std::move(parsed.error().message)};
  out = std::move(*parsed);
  return std::nullopt;
}

std::optional<read_failure> read_checkpoint(ondemand::document& document, checkpoint& out) {
  ondemand::object root;
  if (auto code = document.get_object().get(root)) {
    return code == simdjson::INCORRECT_TYPE ? read_failure{"not a JSON object"} : damaged(code);
  }
  std::optional<int> version;
  bool table = false, total_segments = false, shard = false, predicate = false, cursors = false;
  for (auto field : root) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return damaged(code);
    ondemand::value member;
    if (auto code = field.value().get(member)) return damaged(code);
    std::optional<read_failure> failure;
    if (key == "version") {
      std::int64_t number = 0;
      if (member.get_int64().get(number)) return wrong_type("version", "a whole number");
      if (number != checkpoint_version) {
        return read_failure{"version " + std::to_string(number) + ", but this scavenger reads version " +
                            std::to_string(checkpoint_version) + "; start over without --resume"};
      }
      version = checkpoint_version;
    } else if (key == "table") {
      table = true;
      failure = read_string(member, "table", out.table);
    } else if (key == "total_segments") {
      total_segments = true;
      failure = read_int(member, "total_segments", 1, max_total_segments, out.total_segments);
    } else if (key == "shard") {
      shard = true;
      std::string text;
      failure = read_string(member, "shard", text);
      if (!failure) {
        auto parsed = parse_shard(text);
        if (!parsed) return wrong_type("shard", "I/N with 0 <= I < N");
        out.shard = *parsed;
      }
    } else if (key == "predicate") {
      predicate = true;
      failure = read_predicate(member, out.predicate);
    } else if (key == "cursors") {
      cursors = true;
      failure = read_cursors(member, out.cursors);
    }
    if (failure) return failure;
  }
  if (!version) return read_failure{"no \"version\" field"};
  if (!table) return read_failure{"no \"table\" field"};
  if (!total_segments) return read_failure{"no \"total_segments\" field"};
  if (!shard) return read_failure{"no \"shard\" field"};
  if (!predicate) return read_failure{"no \"predicate\" field"};
  if (!cursors) return read_failure{"no \"cursors\" field"};
  if (auto problem = check_cursors(out.cursors, out.shard, out.total_segments)) return read_failure{std::move(*problem)};
  return std::nullopt;
}

}  // namespace

boost::system::result<checkpoint, checkpoint_error> parse_checkpoint(std::string_view text) {
  const simdjson::padded_string padded(text);
  // On-Demand validates only what it visits; the DOM parser checks the whole text first (trailing
  // content, the inside of start keys), which is cheap for a file this small.
  simdjson::dom::parser validator;
  if (auto code = validator.parse(padded).error()) return checkpoint_error{damaged(code).message};
  ondemand::parser parser;
  ondemand::document document;
  if (auto code = parser.iterate(padded).get(document)) return checkpoint_error{damaged(code).message};
  checkpoint parsed;
  if (auto failure = read_checkpoint(document, parsed)) return checkpoint_error{std::move(failure->message)};
  return parsed;
}

}  // namespace scavenger::core
