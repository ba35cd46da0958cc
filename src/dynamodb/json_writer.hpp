#pragma once
// A minimal streaming JSON writer for request bodies: it escapes strings and embeds raw JSON
// (attribute values, user-supplied expression values) unchanged. Commas are placed for the caller.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scavenger::dynamodb {

class json_writer {
 public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view name);
  json_writer& string(std::string_view value);
  json_writer& number(std::int64_t value);
  json_writer& number(double value);
  json_writer& boolean(bool value);
  json_writer& null();
  json_writer& raw(std::string_view json);  // an already-valid JSON value

  // Shorthands for "key": value members.
  json_writer& member(std::string_view name, std::string_view value) { return key(name).string(value); }
  json_writer& member_raw(std::string_view name, std::string_view json) { return key(name).raw(json); }

  const std::string& str() const& noexcept { return out_; }
  std::string str() && noexcept { return std::move(out_); }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_in_scope_;  // one entry per open object/array
  bool after_key_ = false;
};

// Appends `value` to `out` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view value);

}  // namespace scavenger::dynamodb
