#pragma once
// Region and endpoint resolution (SPEC §7 "AWS conventions").
//
// Thread safety: pure functions of their arguments, the environment and the shared files.

#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "aws/environment.hpp"
#include "http/client.hpp"
#include "http/url.hpp"

namespace scavenger::aws {

struct connection_settings {
  std::optional<std::string> region;        // --region
  std::optional<std::string> profile;       // --profile
  std::optional<std::string> endpoint_url;  // --endpoint-url
  std::optional<std::string> ca_bundle;     // --ca-bundle
};

struct resolved_connection {
  std::string region;
  http::url endpoint;
  http::client_options client;  // CA bundle and proxy
};

// Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`; without one, a
//   loopback endpoint (a local emulator) gets "us-east-1", anything else is an error.
// Endpoint: --endpoint-url, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL,
//   else https://dynamodb.<region>.amazonaws.com (.amazonaws.com.cn for cn-* regions).
// CA bundle: --ca-bundle, AWS_CA_BUNDLE, the profile's `ca_bundle`; the file must be readable.
// Proxy: https_proxy / HTTPS_PROXY for https endpoints, http_proxy / HTTP_PROXY for http ones
//   (lower case first, as curl and Python's urllib do), unless no_proxy / NO_PROXY matches the
//   endpoint's host. A proxy without a scheme is http://; only http:// proxies are supported.
// The profile is --profile, else AWS_PROFILE, else "default"; a missing profile is not an
// error here (the credentials chain reports it).
// The error is one line naming the missing or malformed setting and how to set it.
boost::system::result<resolved_connection, std::string> resolve_connection(const connection_settings& settings,
                                                                            const environment& env);

// 127.0.0.0/8, ::1 or "localhost" (any case). `host` is bare: no brackets, no port.
bool is_loopback_host(std::string_view host) noexcept;

// Whether a NO_PROXY value exempts `host`, as curl reads it: comma-separated entries, spaces
// ignored; "*" matches everything; an entry matches the host itself and its subdomains on a
// label boundary ("example.com" and ".example.com" both match "a.example.com", neither matches
// "badexample.com"); IP literals match exactly, or by CIDR prefix ("10.0.0.0/8", "fd00::/8").
bool no_proxy_matches(std::string_view no_proxy, std::string_view host) noexcept;

}  // namespace scavenger::aws
