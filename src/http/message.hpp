#pragma once
// Plain HTTP request and response values. Beast stays inside src/http/*.cpp so that the
// layers above compile without its templates.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scavenger::http {

struct header {
  std::string name;
  std::string value;
  friend bool operator==(const header&, const header&) = default;
};

// Case-insensitive look-up of the first header with this name.
std::optional<std::string_view> find_header(const std::vector<header>& headers, std::string_view name) noexcept;

struct request {
  std::string method = "POST";
  std::string target = "/";      // origin-form: path and query, as sent on the request line
  std::vector<header> headers;   // sent as given; the client adds Content-Length, and Host and
                                 // User-Agent ("scavenger") unless given here
  std::string body;
};

struct response {
  unsigned status = 0;
  std::vector<header> headers;
  std::string body;

  std::optional<std::string_view> header_value(std::string_view name) const noexcept { return find_header(headers, name); }
};

}  // namespace scavenger::http
