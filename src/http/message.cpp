#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace scavenger::http {

std::optional<std::string_view> find_header(const std::vector<header>& headers, std::string_view name) noexcept {
  // Field names are case-insensitive (RFC 9110, section 5.1).
  const auto same_name = [name](const header& h) {
    return std::equal(h.name.begin(), h.name.end(), name.begin(), name.end(), [](unsigned char a, unsigned char b) {
      return std::tolower(a) == std::tolower(b);
    });
  };
  const auto found = std::find_if(headers.begin(), headers.end(), same_name);
  if (found == headers.end()) return std::nullopt;
  return std::string_view(found->value);
}

}  // namespace scavenger::http
