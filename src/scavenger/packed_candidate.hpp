#pragma once
// What a delete needs of a scanned item — its key and the age it was seen with — packed into one
// string. A reader may hold a whole page of candidates while the channel to the deleters is
// full: at 10 readers and ~4,000 items a page, per-attribute strings and vectors tripled the
// run's peak memory. The key's attribute names are the table's, kept once by the caller.
//
// Thread safety: a plain value.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/item.hpp"

namespace scavenger::core {

class packed_candidate {
 public:
  // DynamoDB keys have a partition key and at most one sort key.
  static constexpr std::size_t max_key_attributes = 2;

  packed_candidate() = default;

  // The values of `key_names` (1 or 2, in that order) from `scanned`, and `seen_age` (raw JSON,
  // may be empty). nullopt when `scanned` lacks one of the key attributes.
  static std::optional<packed_candidate> pack(const dynamodb::item& scanned, const std::vector<std::string>& key_names,
                                              std::string_view seen_age);

  // The key as an item, names from `key_names` (the same names, in the same order, as pack's).
  dynamodb::item key(const std::vector<std::string>& key_names) const;
  std::string_view seen_age() const noexcept;

 private:
  std::string values_;  // the key values' raw JSON, then the seen age
  std::array<std::uint32_t, max_key_attributes> ends_{};  // where each key value ends in values_
  std::uint32_t key_count_ = 0;
};

}  // namespace scavenger::core
