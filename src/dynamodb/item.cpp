#include "dynamodb/item.hpp"

#include "dynamodb/json_writer.hpp"

namespace scavenger::dynamodb {

std::optional<std::string_view> find_attribute(const item& attributes, std::string_view name) noexcept {
  for (const auto& entry : attributes) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

std::optional<item> project(const item& attributes, const std::vector<std::string>& names) {
  item projected;
  projected.reserve(names.size());
  for (const auto& name : names) {
    auto value = find_attribute(attributes, name);
    if (!value) return std::nullopt;
    projected.push_back({name, std::string(*value)});
  }
  return projected;
}

std::string to_json(const item& attributes) {
  json_writer out;
  out.begin_object();
  for (const auto& entry : attributes) out.member_raw(entry.name, entry.value);
  out.end_object();
  return std::move(out).str();
}

}  // namespace scavenger::dynamodb
