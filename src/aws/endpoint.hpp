#pragma once
// Region and endpoint resolution (SPEC §7 "AWS conventions").

#include <optional>
#include <string>

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

// Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`.
// Endpoint: --endpoint-url, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL,
//   else https://dynamodb.<region>.amazonaws.com.
// CA bundle: --ca-bundle, AWS_CA_BUNDLE, the profile's `ca_bundle`.
// Proxy: HTTPS_PROXY / https_proxy for https endpoints, HTTP_PROXY / http_proxy for http ones,
//   unless NO_PROXY / no_proxy matches the endpoint's host.
// The error is one line naming the missing or malformed setting and how to set it.
boost::system::result<resolved_connection, std::string> resolve_connection(const connection_settings& settings,
                                                                            const environment& env);

}  // namespace scavenger::aws
