// EC2 instance role credentials through IMDSv2
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-retrieval.html):
//   PUT /latest/api/token               X-aws-ec2-metadata-token-ttl-seconds: 21600  -> token
//   GET /latest/meta-data/iam/security-credentials/         X-aws-ec2-metadata-token -> role name
//   GET /latest/meta-data/iam/security-credentials/<role>   X-aws-ec2-metadata-token -> credentials JSON

#include <memory>

#include "aws/credentials_chain.hpp"
#include "aws/credentials_json.hpp"
#include "http/client.hpp"
#include "http/url.hpp"

namespace scavenger::aws {
namespace {

constexpr std::string_view default_ipv4_endpoint = "http://169.254.169.254";
constexpr std::string_view default_ipv6_endpoint = "http://[fd00:ec2::254]";
constexpr std::string_view token_target = "/latest/api/token";
constexpr std::string_view credentials_target = "/latest/meta-data/iam/security-credentials/";
// The SDKs' default token lifetime (6 hours, the maximum); a token is used for one fetch only.
constexpr std::string_view token_ttl_seconds = "21600";
// Off EC2 nothing answers at 169.254.169.254: a short deadline keeps the chain's failure quick.
constexpr std::chrono::milliseconds request_timeout{1000};

// IAM role names are [\w+=,.@-]+; checking keeps the name from altering the request path.
bool valid_role_name(std::string_view role) {
  if (role.empty()) {
    return false;
  }
  for (const char c : role) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         std::string_view("_+=,.@-").find(c) != std::string_view::npos;
    if (!allowed) {
      return false;
    }
  }
  return true;
}

bool is_true(std::string_view value) {
  return value.size() == 4 && (value[0] == 't' || value[0] == 'T') && (value[1] == 'r' || value[1] == 'R') &&
         (value[2] == 'u' || value[2] == 'U') && (value[3] == 'e' || value[3] == 'E');
}

http::request make_request(std::string_view method, std::string target, http::header header) {
  http::request request;
  request.method = std::string(method);
  request.target = std::move(target);
  request.headers.push_back(std::move(header));
  return request;
}

using answer = boost::system::result<std::string, std::string>;

// The body of a 200 answer; otherwise a short reason (the body is never quoted).
answer body_of(http::send_result sent) {
  if (!sent) {
    return {boost::system::in_place_error, std::move(sent.error().detail)};
  }
  if (sent->status == 404) {
    return {boost::system::in_place_error, "HTTP 404 (no IAM role is attached to this instance?)"};
  }
  if (sent->status != 200) {
    return {boost::system::in_place_error, "HTTP " + std::to_string(sent->status)};
  }
  return {boost::system::in_place_value, std::move(sent->body)};
}

class imds_provider final : public credentials_provider {
 public:
  imds_provider(boost::asio::any_io_executor executor, const environment& env)
      : executor_(std::move(executor)), env_(env) {}

  boost::asio::awaitable<credentials_result> fetch() override {
    if (is_true(env_.get("AWS_EC2_METADATA_DISABLED").value_or(""))) {
      co_return credentials_error{"disabled by AWS_EC2_METADATA_DISABLED"};
    }
    auto endpoint = metadata_endpoint();
    if (!endpoint) {
      co_return credentials_error{endpoint.error(), true};
    }
    http::client client(executor_, *endpoint);
    const std::string origin = endpoint->origin();

    // Each request is a named local moved into send(), never a temporary built inside the
    // co_await expression: with GCC 12 such a temporary (a braced http::header argument of a
    // coroutine) was destroyed twice and crashed these tests.
    http::request token_request = make_request(
        "PUT", std::string(token_target), {"X-aws-ec2-metadata-token-ttl-seconds", std::string(token_ttl_seconds)});
    http::send_result token_sent = co_await client.send(std::move(token_request), request_timeout);
    const answer token = body_of(std::move(token_sent));
    if (!token) {
      co_return credentials_error{"no EC2 instance metadata service token from " + origin + ": " + token.error()};
    }
    const http::header token_header{"X-aws-ec2-metadata-token", *token};

    http::request roles_request = make_request("GET", std::string(credentials_target), token_header);
    http::send_result roles_sent = co_await client.send(std::move(roles_request), request_timeout);
    const answer roles = body_of(std::move(roles_sent));
    if (!roles) {
      co_return credentials_error{"no IAM role from the EC2 instance metadata service at " + origin + ": " + roles.error()};
    }
    // One role per instance profile; the listing has one name per line.
    std::string role = roles->substr(0, roles->find_first_of("\r\n"));
    if (!valid_role_name(role)) {
      co_return credentials_error{"the EC2 instance metadata service at " + origin + " listed no valid IAM role name"};
    }

    http::request document_request = make_request("GET", std::string(credentials_target) + role, token_header);
    http::send_result document_sent = co_await client.send(std::move(document_request), request_timeout);
    const answer document = body_of(std::move(document_sent));
    if (!document) {
      co_return credentials_error{"no credentials for IAM role " + role + " from " + origin + ": " + document.error()};
    }
    auto parsed = parse_credentials_json(*document, true);
    if (!parsed) {
      co_return credentials_error{"the credentials of IAM role " + role + " from " + origin + " " + parsed.error()};
    }
    co_return std::move(*parsed);
  }

  std::string name() const override { return "imds"; }

 private:
  boost::system::result<http::url, std::string> metadata_endpoint() const {
    std::string text;
    if (auto configured = env_.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
      text = std::move(*configured);
    } else if (env_.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("") == "IPv6") {
      text = default_ipv6_endpoint;
    } else {
      text = default_ipv4_endpoint;
    }
    auto parsed = http::parse_url(text);
    if (!parsed) {
      return {boost::system::in_place_error, "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URL: " + parsed.error()};
    }
    return std::move(*parsed);
  }

  boost::asio::any_io_executor executor_;
  const environment& env_;
};

}  // namespace

std::unique_ptr<credentials_provider> make_imds_provider(boost::asio::any_io_executor executor, const environment& env) {
  return std::make_unique<imds_provider>(std::move(executor), env);
}

}  // namespace scavenger::aws
