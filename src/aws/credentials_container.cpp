// Container credentials: ECS task roles, EKS Pod Identity, and any local endpoint that speaks
// the same protocol (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/credentials_chain.hpp"
#include "aws/credentials_json.hpp"
#include "aws/endpoint.hpp"
#include "http/client.hpp"
#include "http/url.hpp"

namespace scavenger::aws {
namespace {

// ECS serves task credentials here; AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on it.
constexpr std::string_view ecs_credentials_origin = "http://169.254.170.2";
// Plain-http hosts the SDKs accept for a FULL_URI besides loopback: the ECS endpoint and the
// EKS Pod Identity agent (IPv4 and IPv6). Anything else must use https, so that credentials
// never cross a network in clear text.
constexpr std::array<std::string_view, 3> allowed_http_hosts{"169.254.170.2", "169.254.170.23", "fd00:ec2::23"};

// botocore's ContainerMetadataFetcher: a 2 s timeout, 3 attempts, a pause between them. The
// agent is local, so a longer wait would only delay the error.
constexpr std::chrono::milliseconds request_timeout{2000};
constexpr int max_attempts = 3;
constexpr std::chrono::milliseconds pause_between_attempts{200};

bool is_allowed_http_host(std::string_view host) {
  if (is_loopback_host(host)) {
    return true;
  }
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(host), error);
  if (error) {
    return false;
  }
  for (const std::string_view allowed : allowed_http_hosts) {
    if (address == boost::asio::ip::make_address(std::string(allowed))) {
      return true;
    }
  }
  return false;
}

// Reads the whole file; the error names the file and the reason.
boost::system::result<std::string, std::string> read_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return {boost::system::in_place_error,
            "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path + ": " + std::generic_category().message(errno)};
  }
  std::string text;
  std::array<char, 4096> chunk{};
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
    text.append(chunk.data(), read);
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return {boost::system::in_place_error,
            "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path + ": " + std::generic_category().message(error)};
  }
  return {boost::system::in_place_value, std::move(text)};
}

class container_provider final : public credentials_provider {
 public:
  container_provider(boost::asio::any_io_executor executor, const environment& env)
      : executor_(std::move(executor)), env_(env) {}

  boost::asio::awaitable<credentials_result> fetch() override {
    auto endpoint = credentials_endpoint();
    if (!endpoint) {
      co_return endpoint.error();
    }
    auto authorization = authorization_header();
    if (!authorization) {
      co_return credentials_error{authorization.error(), true};
    }

    http::request request;
    request.method = "GET";
    request.target = endpoint->target;
    request.headers.push_back({"Accept", "application/json"});
    if (!authorization->empty()) {
      request.headers.push_back({"Authorization", std::move(*authorization)});
    }

    http::client client(executor_, *endpoint);
    std::string failure;
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      if (attempt > 1) {
        boost::asio::steady_timer pause(executor_, pause_between_attempts);
        co_await pause.async_wait(boost::asio::use_awaitable);
      }
      http::request attempt_request = request;  // a named copy: see credentials_imds.cpp on GCC 12
      auto sent = co_await client.send(std::move(attempt_request), request_timeout);
      if (!sent) {
        failure = "no answer from " + endpoint->origin() + ": " + sent.error().detail;
        continue;
      }
      if (sent->status >= 500) {
        failure = endpoint->origin() + " answered HTTP " + std::to_string(sent->status);
        continue;
      }
      if (sent->status != 200) {
        // 4xx: a bad token or URI; asking again gives the same answer.
        co_return credentials_error{endpoint->origin() + " answered HTTP " +
                                        std::to_string(sent->status) + " (check the authorization token)",
                                    true};
      }
      auto parsed = parse_credentials_json(sent->body, false);
      if (!parsed) {
        co_return credentials_error{"the answer of " + endpoint->origin() + " " + parsed.error(), true};
      }
      co_return std::move(*parsed);
    }
    co_return credentials_error{failure + " (after " + std::to_string(max_attempts) + " attempts)", true};
  }

  std::string name() const override { return "container"; }

 private:
  // The URL to ask, from RELATIVE_URI (preferred, as in the SDKs) or FULL_URI.
  boost::system::result<http::url, credentials_error> credentials_endpoint() const {
    if (auto relative = env_.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      const credentials_error not_a_path{
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not an absolute path like /v2/credentials/ID", true};
      // Without the leading '/', the path would extend the host name ("169.254.170.2v2/...").
      if (relative->front() != '/') {
        return not_a_path;
      }
      auto parsed = http::parse_url(std::string(ecs_credentials_origin) + *relative);
      if (!parsed) {
        return not_a_path;
      }
      return std::move(*parsed);
    }
    auto full = env_.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!full) {
      return credentials_error{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"};
    }
    auto parsed = http::parse_url(*full);
    if (!parsed) {
      return credentials_error{"AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL: " + parsed.error(), true};
    }
    if (!parsed->tls() && !is_allowed_http_host(parsed->host)) {
      return credentials_error{"AWS_CONTAINER_CREDENTIALS_FULL_URI " + parsed->origin() +
                                   " is refused: plain http is allowed only to a loopback address, 169.254.170.2, "
                                   "169.254.170.23 or fd00:ec2::23; use https",
                               true};
    }
    return std::move(*parsed);
  }

  // The Authorization header value, "" when none is configured. The file wins and is read on
  // every fetch: EKS Pod Identity rotates the token in it.
  boost::system::result<std::string, std::string> authorization_header() const {
    std::string token;
    if (auto file = env_.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      auto text = read_file(*file);
      if (!text) {
        return {boost::system::in_place_error, text.error()};
      }
      token = std::move(*text);
      while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
        token.pop_back();
      }
    } else {
      token = env_.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
    }
    // A line break would end the header and inject others (the SDKs refuse it too).
    if (token.find_first_of("\r\n") != std::string::npos) {
      return {boost::system::in_place_error, "the container authorization token contains a line break"};
    }
    return {boost::system::in_place_value, std::move(token)};
  }

  boost::asio::any_io_executor executor_;
  const environment& env_;
};

}  // namespace

std::unique_ptr<credentials_provider> make_container_provider(boost::asio::any_io_executor executor,
                                                              const environment& env) {
  return std::make_unique<container_provider>(std::move(executor), env);
}

}  // namespace scavenger::aws
