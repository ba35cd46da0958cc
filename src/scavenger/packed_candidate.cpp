#include "scavenger/packed_candidate.hpp"

#include <cassert>

namespace scavenger::core {

std::optional<packed_candidate> packed_candidate::pack(const dynamodb::item& scanned,
                                                       const std::vector<std::string>& key_names,
                                                       std::string_view seen_age) {
  assert(!key_names.empty() && key_names.size() <= max_key_attributes);
  std::array<std::string_view, max_key_attributes> values;
  std::size_t total = seen_age.size();
  for (std::size_t i = 0; i < key_names.size(); ++i) {
    auto value = dynamodb::find_attribute(scanned, key_names[i]);
    if (!value) return std::nullopt;
    values[i] = *value;
    total += value->size();
  }
  packed_candidate packed;
  packed.values_.reserve(total);
  for (std::size_t i = 0; i < key_names.size(); ++i) {
    packed.values_.append(values[i]);
    packed.ends_[i] = static_cast<std::uint32_t>(packed.values_.size());
  }
  packed.values_.append(seen_age);
  packed.key_count_ = static_cast<std::uint32_t>(key_names.size());
  return packed;
}

dynamodb::item packed_candidate::key(const std::vector<std::string>& key_names) const {
  assert(key_names.size() == key_count_);
  dynamodb::item key;
  key.reserve(key_count_);
  std::uint32_t begin = 0;
  for (std::uint32_t i = 0; i < key_count_; ++i) {
    key.push_back({key_names[i], values_.substr(begin, ends_[i] - begin)});
    begin = ends_[i];
  }
  return key;
}

std::string_view packed_candidate::seen_age() const noexcept {
  const std::uint32_t begin = key_count_ == 0 ? 0 : ends_[key_count_ - 1];
  return std::string_view(values_).substr(begin);
}

}  // namespace scavenger::core
