#pragma once
// The credentials document that the container credentials endpoint and EC2 IMDS both return:
//   {"AccessKeyId": "...", "SecretAccessKey": "...", "Token": "...", "Expiration": "RFC 3339"}
// (IMDS adds "Code": "Success", "Type", "LastUpdated").
// Internal to the credentials providers. Thread safety: a pure function.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "aws/credentials.hpp"

namespace scavenger::aws {

// `require_success_code`: IMDS reports failures in "Code" with a 200 status.
// The error is a short phrase ("is not valid JSON", "has no SecretAccessKey") that never quotes
// the document, which holds secrets.
boost::system::result<credentials, std::string> parse_credentials_json(std::string_view body, bool require_success_code);

}  // namespace scavenger::aws
