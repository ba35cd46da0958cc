#include "aws/credentials_json.hpp"

#include <simdjson.h>

#include "aws/error_text.hpp"
#include "aws/rfc3339.hpp"

namespace scavenger::aws {

boost::system::result<credentials, std::string> parse_credentials_json(std::string_view body, bool require_success_code) {
  // The DOM parser validates the whole document (trailing bytes included) before we look at it;
  // the document is small and fetched once an hour, so On Demand's speed does not matter here.
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS) {
    return error_text{"is not a JSON object"};
  }

  credentials result;
  std::string code;
  std::string expiration;
  for (const auto field : object) {
    std::string* target = nullptr;
    if (field.key == "AccessKeyId") {
      target = &result.access_key_id;
    } else if (field.key == "SecretAccessKey") {
      target = &result.secret_access_key;
    } else if (field.key == "Token") {
      target = &result.session_token;
    } else if (field.key == "Expiration") {
      target = &expiration;
    } else if (field.key == "Code") {
      target = &code;
    } else {
      continue;  // Type, LastUpdated, RoleArn, AccountId: not needed
    }
    std::string_view value;
    if (field.value.get_string().get(value) != simdjson::SUCCESS) {
      return error_text{"has a " + std::string(field.key) + " that is not a string"};
    }
    target->assign(value);
  }
  if (require_success_code && code != "Success") {
    return error_text{code.empty() ? std::string("has no Code") : "has Code " + code + " instead of Success"};
  }
  if (result.access_key_id.empty()) {
    return error_text{"has no AccessKeyId"};
  }
  if (result.secret_access_key.empty()) {
    return error_text{"has no SecretAccessKey"};
  }
  if (!expiration.empty()) {
    result.expiration = parse_rfc3339(expiration);
    if (!result.expiration) {
      return error_text{"has an Expiration that is not an RFC 3339 time: " + expiration};
    }
  }
  return result;
}

}  // namespace scavenger::aws
