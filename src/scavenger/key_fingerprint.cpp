#include "scavenger/key_fingerprint.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "scavenger/attribute_value.hpp"

namespace scavenger::core {

std::optional<std::string> key_fingerprint(const dynamodb::item& key) {
  std::vector<const dynamodb::attribute*> sorted;
  for (const auto& attribute : key) sorted.push_back(&attribute);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  std::string fingerprint;
  std::string scratch;
  for (const auto* attribute : sorted) {
    std::optional<std::string_view> text;
    std::string_view found_type;
    for (std::string_view type : std::array<std::string_view, 3>{"S", "N", "B"}) {
      text = scalar_text(attribute->value, type, scratch);
      if (text) {
        found_type = type;
        break;
      }
    }
    if (!text) return std::nullopt;
    // Separators that cannot occur in names or values' type tags keep fields apart.
    fingerprint.append(attribute->name).push_back('\x1f');
    fingerprint.append(found_type).push_back('\x1f');
    fingerprint.append(std::to_string(text->size())).push_back(':');
    fingerprint.append(*text).push_back('\x1e');
  }
  return fingerprint;
}

}  // namespace scavenger::core
