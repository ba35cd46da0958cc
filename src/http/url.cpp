#include "http/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace scavenger::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::uint16_t default_port(std::string_view scheme) noexcept { return scheme == "https" ? 443 : 80; }

bool is_ipv6_literal(const std::string& host) noexcept {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

// Ports are 1..65535 in decimal digits only: "+80", "0x50" and "" are refused.
bool parse_port(std::string_view text, std::uint16_t& port) noexcept {
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return false;
  }
  unsigned value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value == 0 || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// result<url, std::string> does not convert a std::string implicitly; name the error side.
boost::system::result<url, std::string> refuse(std::string message) { return {boost::system::in_place_error, std::move(message)}; }

}  // namespace

std::string url::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::string url::origin() const { return scheme + "://" + host_header(); }

boost::system::result<url, std::string> parse_url(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const auto separator = text.find("://");
  if (separator == std::string_view::npos) return refuse("not an absolute URL (expected http:// or https://): " + quoted);

  url out;
  out.scheme = lower(text.substr(0, separator));
  if (out.scheme != "http" && out.scheme != "https") return refuse("unsupported URL scheme '" + out.scheme + "' (only http and https): " + quoted);

  std::string_view rest = text.substr(separator + 3);
  // The fragment is never sent; the query belongs to the target.
  rest = rest.substr(0, rest.find('#'));
  const auto path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) {
    out.target = std::string(rest.substr(path_start));
    if (out.target.front() == '?') out.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) return refuse("user information in URLs is not supported: " + quoted);

  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return refuse("unterminated IPv6 address in URL: " + quoted);
    out.host = std::string(authority.substr(1, close - 1));
    if (!is_ipv6_literal(out.host)) return refuse("invalid IPv6 address '" + out.host + "' in URL: " + quoted);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return refuse("unexpected characters after the IPv6 address in URL: " + quoted);
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (out.host.empty()) return refuse("missing host in URL: " + quoted);
  if (out.host.find_first_of(" \t\r\n/\\") != std::string::npos) return refuse("invalid host '" + out.host + "' in URL: " + quoted);

  out.port = default_port(out.scheme);
  if (has_port && !parse_port(port_text, out.port)) return refuse("invalid port '" + std::string(port_text) + "' in URL (expected 1-65535): " + quoted);
  return out;
}

}  // namespace scavenger::http
