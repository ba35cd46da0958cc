#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace scavenger::http {

// An absolute http:// or https:// URL, split into what a connection needs.
struct url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  std::uint16_t port = 0;
  std::string target = "/";  // path and query

  bool tls() const noexcept { return scheme == "https"; }
  // Host header value: the port is omitted when it is the scheme's default.
  std::string host_header() const;
  // scheme://host[:port], without the path: what summaries print.
  std::string origin() const;
};

// Parses "https://host[:port][/path]"; the error is one line naming what is wrong.
boost::system::result<url, std::string> parse_url(std::string_view text);

}  // namespace scavenger::http
