#include "scavenger/expression_attributes.hpp"

#include <simdjson.h>

namespace scavenger::core {
namespace {

constexpr std::string_view json_space = " \t\n\r";

std::string_view trim(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(json_space);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(json_space) - first + 1);
}

config_error refuse(std::string_view option, std::string_view problem) {
  return config_error{std::string(option) + " " + std::string(problem)};
}

}  // namespace

boost::system::result<std::string, config_error> user_members(std::string_view json, std::string_view option,
                                                              std::string_view reserved_prefix) {
  const std::string_view text = trim(json);
  if (text.empty()) return boost::system::result<std::string, config_error>(boost::system::in_place_value);

  // The DOM parser checks the whole text, trailing garbage included; this runs once per run.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto code = parser.parse(text.data(), text.size()).get(root)) {
    return refuse(option, "is not valid JSON (" + std::string(simdjson::error_message(code)) +
                              "): give a JSON object such as {\"#name\":\"Attribute\"} or {\":value\":{\"N\":\"1\"}}");
  }
  simdjson::dom::object members;
  if (root.get(members)) {
    return refuse(option,
                  "is not a JSON object: give one such as {\"#name\":\"Attribute\"} or {\":value\":{\"N\":\"1\"}}");
  }
  for (const auto member : members) {
    if (member.key.starts_with(reserved_prefix)) {
      return refuse(option, "uses \"" + std::string(member.key) + "\", but placeholders starting with \"" +
                                std::string(reserved_prefix) + "\" are reserved for scavenger: rename it");
    }
  }
  // A valid object, so after trimming its text is '{' members '}'.
  return boost::system::result<std::string, config_error>(boost::system::in_place_value,
                                                          trim(text.substr(1, text.size() - 2)));
}

std::string merge_members(std::initializer_list<std::string_view> member_lists) {
  std::string merged;
  for (const auto members : member_lists) {
    if (members.empty()) continue;
    merged += merged.empty() ? '{' : ',';
    merged += members;
  }
  if (!merged.empty()) merged += '}';
  return merged;
}

}  // namespace scavenger::core
