#include "aws/endpoint.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "aws/error_text.hpp"
#include "aws/shared_config.hpp"

namespace scavenger::aws {
namespace {

// The region used when none is configured and the endpoint is a local emulator: DynamoDB
// Local and dynalite accept any region, and requiring one there only gets in the way.
constexpr std::string_view emulator_region = "us-east-1";

// A setting's value and where it came from, so that errors can say which one to fix.
struct sourced {
  std::string value;
  std::string source;  // "--region", "AWS_REGION", "profile default"
};

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim_spaces(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Parses an IP literal without allocating; nullopt for host names.
std::optional<boost::asio::ip::address> ip_literal(std::string_view host) noexcept {
  std::array<char, 64> buffer{};
  if (host.empty() || host.size() >= buffer.size()) {
    return std::nullopt;
  }
  host.copy(buffer.data(), host.size());
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(buffer.data(), error);
  if (error) {
    return std::nullopt;
  }
  return address;
}

// Whether `address` lies in `network`/`prefix_length` (same family only).
bool in_network(const boost::asio::ip::address& address, const boost::asio::ip::address& network,
                unsigned prefix_length) noexcept {
  const auto compare = [prefix_length](const auto& a, const auto& b) {
    const std::size_t bits = a.size() * 8;
    if (prefix_length > bits) {
      return false;
    }
    for (std::size_t bit = 0; bit < prefix_length; ++bit) {
      const auto mask = static_cast<unsigned char>(0x80u >> (bit % 8));
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  };
  if (address.is_v4() && network.is_v4()) {
    return compare(address.to_v4().to_bytes(), network.to_v4().to_bytes());
  }
  if (address.is_v6() && network.is_v6()) {
    return compare(address.to_v6().to_bytes(), network.to_v6().to_bytes());
  }
  return false;
}

bool no_proxy_entry_matches(std::string_view entry, std::string_view host,
                            const std::optional<boost::asio::ip::address>& host_address) noexcept {
  if (const auto slash = entry.find('/'); slash != std::string_view::npos) {
    const auto network = ip_literal(entry.substr(0, slash));
    const std::string_view digits = entry.substr(slash + 1);
    if (!network || !host_address || digits.empty() || digits.size() > 3) {
      return false;
    }
    unsigned prefix_length = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') {
        return false;
      }
      prefix_length = prefix_length * 10 + static_cast<unsigned>(c - '0');
    }
    return in_network(*host_address, *network, prefix_length);
  }
  if (host_address) {
    // curl compares IP literals whole: "0.1" must not match "10.0.0.1" as a "domain suffix".
    const auto entry_address = ip_literal(entry);
    return entry_address && *entry_address == *host_address;
  }
  if (iequals(entry, host)) {
    return true;
  }
  return host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
         iequals(host.substr(host.size() - entry.size()), entry);
}

// The first of `candidates` that is set (empty values count as unset), with its source.
std::optional<sourced> first_set(const std::vector<sourced>& candidates) {
  for (const auto& candidate : candidates) {
    if (!candidate.value.empty()) {
      return candidate;
    }
  }
  return std::nullopt;
}

// The selected profile, read from the shared files on first use only: most runs configure
// everything through flags or the environment and never need the files.
class lazy_profile {
 public:
  lazy_profile(const environment& env, std::string name) : env_(env), name_(std::move(name)) {}

  const std::string& name() const noexcept { return name_; }

  // The key's value, "" when the profile or the key is absent; an error when a file is unreadable.
  boost::system::result<std::string, std::string> get(std::string_view key) {
    if (!loaded_) {
      auto result = load_profile(env_, name_);
      if (!result) {
        return error_text{result.error()};
      }
      loaded_ = std::move(*result);
    }
    std::string value;
    if (*loaded_) {
      if (const auto found = (*loaded_)->find(key); found != (*loaded_)->end()) {
        value = found->second;
      }
    }
    return {boost::system::in_place_value, std::move(value)};
  }

 private:
  const environment& env_;
  std::string name_;
  std::optional<std::optional<profile>> loaded_;
};

bool valid_region(std::string_view region) noexcept {
  // The region becomes a host name label and part of the SigV4 credential scope.
  for (const char c : region) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!allowed) {
      return false;
    }
  }
  return !region.empty();
}

std::string default_endpoint(std::string_view region) {
  // https://docs.aws.amazon.com/general/latest/gr/ddb.html: the China partition's DNS suffix
  // is amazonaws.com.cn.
  const std::string_view suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://dynamodb." + std::string(region) + std::string(suffix);
}

std::string env_value(const environment& env, std::string_view name) { return env.get(name).value_or(""); }

boost::system::result<void, std::string> check_readable(const sourced& ca_bundle) {
  std::FILE* file = std::fopen(ca_bundle.value.c_str(), "rb");
  if (file == nullptr) {
    return error_text{"cannot read the CA bundle " + ca_bundle.value + " (from " + ca_bundle.source +
                      "): " + std::generic_category().message(errno)};
  }
  std::fclose(file);
  return {};
}

boost::system::result<std::optional<http::url>, std::string> resolve_proxy(const http::url& endpoint,
                                                                         const environment& env) {
  // Lower case first, as curl and Python's urllib (which the AWS CLI uses) prefer it.
  const std::vector<sourced> proxies =
      endpoint.tls() ? std::vector<sourced>{{env_value(env, "https_proxy"), "https_proxy"},
                                            {env_value(env, "HTTPS_PROXY"), "HTTPS_PROXY"}}
                     : std::vector<sourced>{{env_value(env, "http_proxy"), "http_proxy"},
                                            {env_value(env, "HTTP_PROXY"), "HTTP_PROXY"}};
  const auto proxy = first_set(proxies);
  if (!proxy) {
    return std::optional<http::url>();
  }
  const auto no_proxy = first_set({{env_value(env, "no_proxy"), "no_proxy"}, {env_value(env, "NO_PROXY"), "NO_PROXY"}});
  if (no_proxy && no_proxy_matches(no_proxy->value, endpoint.host)) {
    return std::optional<http::url>();
  }

  std::string text = proxy->value;
  if (text.find("://") == std::string::npos) {
    text = "http://" + text;  // curl's default for a proxy given as host:port
  }
  const auto authority_end = text.find('/', text.find("://") + 3);
  if (text.substr(0, authority_end).find('@') != std::string::npos) {
    // Never echo the value: it holds a password.
    return error_text{"the proxy in " + proxy->source + " has credentials (user:password@), which are not supported"};
  }
  auto parsed = http::parse_url(text);
  if (!parsed) {
    return error_text{"invalid proxy URL in " + proxy->source + ": " + parsed.error()};
  }
  if (parsed->scheme != "http") {
    return error_text{"the proxy in " + proxy->source + " must be an http:// URL (an HTTP CONNECT proxy), not " +
                      parsed->scheme + "://"};
  }
  return std::optional<http::url>(std::move(*parsed));
}

}  // namespace

bool is_loopback_host(std::string_view host) noexcept {
  if (iequals(host, "localhost")) {
    return true;
  }
  const auto address = ip_literal(host);
  return address && address->is_loopback();
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) noexcept {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);  // "example.com." is the same host as "example.com"
  }
  const auto host_address = ip_literal(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = trim_spaces(no_proxy.substr(0, comma));
    no_proxy.remove_prefix(comma == std::string_view::npos ? no_proxy.size() : comma + 1);
    if (entry == "*") {
      return true;
    }
    if (entry.size() >= 2 && entry.front() == '[' && entry.back() == ']') {
      entry = entry.substr(1, entry.size() - 2);
    }
    while (!entry.empty() && entry.front() == '.') {
      entry.remove_prefix(1);
    }
    if (!entry.empty() && entry.back() == '.') {
      entry.remove_suffix(1);
    }
    if (!entry.empty() && no_proxy_entry_matches(entry, host, host_address)) {
      return true;
    }
  }
  return false;
}

boost::system::result<resolved_connection, std::string> resolve_connection(const connection_settings& settings,
                                                                            const environment& env) {
  lazy_profile selected(env, selected_profile_name(env, settings.profile));
  const std::string profile_source = "profile " + selected.name();
  resolved_connection resolved;

  // The endpoint first: without a region, a loopback endpoint still resolves.
  const auto explicit_endpoint = first_set({{settings.endpoint_url.value_or(""), "--endpoint-url"},
                                                {env_value(env, "AWS_ENDPOINT_URL_DYNAMODB"), "AWS_ENDPOINT_URL_DYNAMODB"},
                                                {env_value(env, "AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL"}});
  if (explicit_endpoint) {
    auto parsed = http::parse_url(explicit_endpoint->value);
    if (!parsed) {
      return error_text{"invalid endpoint URL in " + explicit_endpoint->source + ": " + parsed.error()};
    }
    resolved.endpoint = std::move(*parsed);
  }

  std::vector<sourced> regions{{settings.region.value_or(""), "--region"},
                               {env_value(env, "AWS_REGION"), "AWS_REGION"},
                               {env_value(env, "AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"}};
  if (!first_set(regions)) {
    auto from_profile = selected.get("region");
    if (!from_profile) {
      return error_text{from_profile.error()};
    }
    regions.push_back({std::move(*from_profile), profile_source});
  }
  if (const auto region = first_set(regions)) {
    if (!valid_region(region->value)) {
      return error_text{"invalid region '" + region->value + "' in " + region->source +
                        ": a region is letters, digits and '-', like us-east-1"};
    }
    resolved.region = region->value;
  } else if (explicit_endpoint && is_loopback_host(resolved.endpoint.host)) {
    resolved.region = emulator_region;
  } else {
    return error_text{"no AWS region configured: pass --region or set AWS_REGION (or `region` in " +
                      profile_source + " of the AWS config file)"};
  }

  if (!explicit_endpoint) {
    auto parsed = http::parse_url(default_endpoint(resolved.region));
    if (!parsed) {
      return error_text{"cannot build the DynamoDB endpoint for region " + resolved.region + ": " + parsed.error()};
    }
    resolved.endpoint = std::move(*parsed);
  }

  std::vector<sourced> ca_bundles{{settings.ca_bundle.value_or(""), "--ca-bundle"},
                                  {env_value(env, "AWS_CA_BUNDLE"), "AWS_CA_BUNDLE"}};
  if (!first_set(ca_bundles)) {
    auto from_profile = selected.get("ca_bundle");
    if (!from_profile) {
      return error_text{from_profile.error()};
    }
    ca_bundles.push_back({std::move(*from_profile), profile_source});
  }
  if (const auto ca_bundle = first_set(ca_bundles)) {
    if (auto readable = check_readable(*ca_bundle); !readable) {
      return error_text{readable.error()};
    }
    resolved.client.ca_bundle_file = ca_bundle->value;
  }

  auto proxy = resolve_proxy(resolved.endpoint, env);
  if (!proxy) {
    return error_text{proxy.error()};
  }
  resolved.client.proxy = std::move(*proxy);
  return resolved;
}

}  // namespace scavenger::aws
