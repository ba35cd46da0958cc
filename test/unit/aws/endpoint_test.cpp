#include "aws/endpoint.hpp"

#include <gtest/gtest.h>

#include "aws_test_helpers.hpp"

namespace scavenger::aws {
namespace {

using testing::temp_directory;

// Every test starts from an environment with a HOME of its own and nothing else.
class ResolveConnection : public ::testing::Test {
 protected:
  ResolveConnection() : env_({{"HOME", dir_.path()}}) {}

  resolved_connection resolve_ok(const connection_settings& settings = {}) {
    auto resolved = resolve_connection(settings, env_);
    if (!resolved) {
      ADD_FAILURE() << "resolve_connection failed: " << resolved.error();
      return {};
    }
    return std::move(*resolved);
  }

  std::string resolve_error(const connection_settings& settings = {}) {
    auto resolved = resolve_connection(settings, env_);
    if (resolved) {
      ADD_FAILURE() << "resolve_connection succeeded, region " << resolved->region;
      return {};
    }
    return resolved.error();
  }

  temp_directory dir_;
  map_environment env_;
};

TEST_F(ResolveConnection, RegionPrecedenceFlagThenAwsRegionThenDefaultRegionThenProfile) {
  dir_.write(".aws/config", "[default]\nregion = from-profile\n");
  EXPECT_EQ(resolve_ok().region, "from-profile");
  env_.set("AWS_DEFAULT_REGION", "from-default-region");
  EXPECT_EQ(resolve_ok().region, "from-default-region");
  env_.set("AWS_REGION", "from-aws-region");
  EXPECT_EQ(resolve_ok().region, "from-aws-region");
  connection_settings settings;
  settings.region = "from-flag";
  EXPECT_EQ(resolve_ok(settings).region, "from-flag");
}

TEST_F(ResolveConnection, RegionComesFromTheSelectedProfile) {
  dir_.write(".aws/config", "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-north-1\n[profile ops]\nregion = ap-east-1\n");
  env_.set("AWS_PROFILE", "ops");
  EXPECT_EQ(resolve_ok().region, "ap-east-1");
  connection_settings settings;
  settings.profile = "dev";
  EXPECT_EQ(resolve_ok(settings).region, "eu-north-1");
  settings.profile = "no-such-profile";  // the credentials chain reports it; here it has no region
  EXPECT_NE(resolve_error(settings).find("--region"), std::string::npos);
}

TEST_F(ResolveConnection, DefaultEndpointIsTheRegionalHttpsEndpoint) {
  env_.set("AWS_REGION", "eu-west-1");
  const auto resolved = resolve_ok();
  EXPECT_EQ(resolved.endpoint.scheme, "https");
  EXPECT_EQ(resolved.endpoint.host, "dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(resolved.endpoint.port, 443);
  EXPECT_FALSE(resolved.client.proxy.has_value());
  EXPECT_FALSE(resolved.client.ca_bundle_file.has_value());

  env_.set("AWS_REGION", "cn-north-1");
  EXPECT_EQ(resolve_ok().endpoint.host, "dynamodb.cn-north-1.amazonaws.com.cn");
}

TEST_F(ResolveConnection, EndpointPrecedenceFlagThenServiceVariableThenGlobalVariable) {
  env_.set("AWS_REGION", "us-east-1");
  env_.set("AWS_ENDPOINT_URL", "http://127.0.0.1:1001");
  EXPECT_EQ(resolve_ok().endpoint.port, 1001);
  env_.set("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1002");
  EXPECT_EQ(resolve_ok().endpoint.port, 1002);
  connection_settings settings;
  settings.endpoint_url = "http://localhost:1003/";
  const auto resolved = resolve_ok(settings);
  EXPECT_EQ(resolved.endpoint.host, "localhost");
  EXPECT_EQ(resolved.endpoint.port, 1003);
  EXPECT_EQ(resolved.endpoint.scheme, "http");
}

TEST_F(ResolveConnection, LoopbackEndpointWithoutRegionUsesUsEast1) {
  for (const char* endpoint : {"http://127.0.0.1:8000", "http://127.8.9.10:8000", "http://localhost:8000",
                               "http://[::1]:8000"}) {
    connection_settings settings;
    settings.endpoint_url = endpoint;
    EXPECT_EQ(resolve_ok(settings).region, "us-east-1") << endpoint;
  }
}

TEST_F(ResolveConnection, NoRegionForARemoteEndpointIsAnErrorNamingTheSettings) {
  std::string error = resolve_error();
  EXPECT_NE(error.find("--region"), std::string::npos) << error;
  EXPECT_NE(error.find("AWS_REGION"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;

  connection_settings settings;
  settings.endpoint_url = "https://dynamodb.example.com";
  error = resolve_error(settings);
  EXPECT_NE(error.find("--region"), std::string::npos) << error;
}

TEST_F(ResolveConnection, MalformedRegionAndEndpointAreErrorsNamingTheirSource) {
  env_.set("AWS_REGION", "us-east-1/../evil");
  std::string error = resolve_error();
  EXPECT_NE(error.find("AWS_REGION"), std::string::npos) << error;

  env_.set("AWS_REGION", "us-east-1");
  env_.set("AWS_ENDPOINT_URL_DYNAMODB", "ftp://127.0.0.1");
  error = resolve_error();
  EXPECT_NE(error.find("AWS_ENDPOINT_URL_DYNAMODB"), std::string::npos) << error;

  connection_settings settings;
  settings.endpoint_url = "not a url";
  error = resolve_error(settings);
  EXPECT_NE(error.find("--endpoint-url"), std::string::npos) << error;
}

TEST_F(ResolveConnection, CaBundlePrecedenceFlagThenVariableThenProfile) {
  const auto from_profile = dir_.write("profile-ca.pem", "pem");
  const auto from_env = dir_.write("env-ca.pem", "pem");
  const auto from_flag = dir_.write("flag-ca.pem", "pem");
  dir_.write(".aws/config", "[default]\nregion = us-east-1\nca_bundle = " + from_profile + "\n");
  EXPECT_EQ(resolve_ok().client.ca_bundle_file, from_profile);
  env_.set("AWS_CA_BUNDLE", from_env);
  EXPECT_EQ(resolve_ok().client.ca_bundle_file, from_env);
  connection_settings settings;
  settings.ca_bundle = from_flag;
  EXPECT_EQ(resolve_ok(settings).client.ca_bundle_file, from_flag);
}

TEST_F(ResolveConnection, MissingCaBundleIsAnErrorNamingFileAndSource) {
  env_.set("AWS_REGION", "us-east-1");
  env_.set("AWS_CA_BUNDLE", dir_.path() + "/missing.pem");
  const std::string error = resolve_error();
  EXPECT_NE(error.find(dir_.path() + "/missing.pem"), std::string::npos) << error;
  EXPECT_NE(error.find("AWS_CA_BUNDLE"), std::string::npos) << error;
}

TEST_F(ResolveConnection, UnreadableProfileFileIsAnError) {
  std::filesystem::create_directories(dir_.path() + "/.aws/config");  // a directory, not a file
  const std::string error = resolve_error();
  EXPECT_NE(error.find(".aws/config"), std::string::npos) << error;
}

TEST_F(ResolveConnection, HttpsEndpointsUseHttpsProxyAndHttpEndpointsHttpProxy) {
  env_.set("AWS_REGION", "us-east-1");
  env_.set("HTTPS_PROXY", "http://secure-proxy.internal:3128");
  env_.set("HTTP_PROXY", "http://plain-proxy.internal:8080");
  auto resolved = resolve_ok();
  ASSERT_TRUE(resolved.client.proxy.has_value());
  EXPECT_EQ(resolved.client.proxy->host, "secure-proxy.internal");
  EXPECT_EQ(resolved.client.proxy->port, 3128);

  connection_settings settings;
  settings.endpoint_url = "http://dynamodb.internal:8000";
  resolved = resolve_ok(settings);
  ASSERT_TRUE(resolved.client.proxy.has_value());
  EXPECT_EQ(resolved.client.proxy->host, "plain-proxy.internal");

  env_.set("HTTP_PROXY", "");
  EXPECT_FALSE(resolve_ok(settings).client.proxy.has_value());  // HTTPS_PROXY is not for http endpoints
}

TEST_F(ResolveConnection, LowerCaseProxyVariablesWinAndSchemeDefaultsToHttp) {
  env_.set("AWS_REGION", "us-east-1");
  env_.set("HTTPS_PROXY", "http://upper.internal:1");
  env_.set("https_proxy", "lower.internal:2");
  const auto resolved = resolve_ok();
  ASSERT_TRUE(resolved.client.proxy.has_value());
  EXPECT_EQ(resolved.client.proxy->scheme, "http");
  EXPECT_EQ(resolved.client.proxy->host, "lower.internal");
  EXPECT_EQ(resolved.client.proxy->port, 2);
}

TEST_F(ResolveConnection, NoProxySkipsTheProxyForMatchingHosts) {
  env_.set("AWS_REGION", "eu-west-1");
  env_.set("HTTPS_PROXY", "http://proxy.internal:3128");
  env_.set("NO_PROXY", "localhost, .amazonaws.com");
  EXPECT_FALSE(resolve_ok().client.proxy.has_value());
  env_.set("no_proxy", "example.com");  // lower case wins: amazonaws.com is proxied again
  EXPECT_TRUE(resolve_ok().client.proxy.has_value());
}

TEST_F(ResolveConnection, ProxyErrorsNeverQuoteAPassword) {
  env_.set("AWS_REGION", "us-east-1");
  env_.set("HTTPS_PROXY", "http://user:hunter2-proxy-password@proxy.internal:3128");
  std::string error = resolve_error();
  EXPECT_NE(error.find("HTTPS_PROXY"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2-proxy-password"), std::string::npos) << error;

  env_.set("HTTPS_PROXY", "https://proxy.internal:3128");
  error = resolve_error();
  EXPECT_NE(error.find("http://"), std::string::npos) << error;
}

TEST(IsLoopbackHost, RecognisesLoopbackAddressesAndNames) {
  for (const char* host : {"127.0.0.1", "127.255.0.3", "localhost", "LocalHost", "::1"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host : {"128.0.0.1", "10.0.0.1", "127.0.0.1.example.com", "localhost.example", "::2", "",
                           "169.254.170.2", "0:0:0:0:0:0:0:2"}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

TEST(NoProxyMatches, CurlSemantics) {
  EXPECT_TRUE(no_proxy_matches("*", "anything.example"));
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("example.com", "dynamodb.example.com"));
  EXPECT_TRUE(no_proxy_matches(".example.com", "dynamodb.example.com"));
  EXPECT_TRUE(no_proxy_matches(".example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("EXAMPLE.com", "Dynamodb.Example.COM"));
  EXPECT_TRUE(no_proxy_matches("other.org , example.com", "a.example.com"));
  EXPECT_TRUE(no_proxy_matches("example.com", "a.example.com."));
  EXPECT_FALSE(no_proxy_matches("example.com", "badexample.com"));
  EXPECT_FALSE(no_proxy_matches("a.example.com", "example.com"));
  EXPECT_FALSE(no_proxy_matches("", "example.com"));
  EXPECT_FALSE(no_proxy_matches(" , ,", "example.com"));
  EXPECT_FALSE(no_proxy_matches("*.example.com", "a.example.com"));  // curl has no wildcards but a lone "*"
}

TEST(NoProxyMatches, IpLiteralsMatchWholeOrByCidr) {
  EXPECT_TRUE(no_proxy_matches("10.0.0.1", "10.0.0.1"));
  EXPECT_FALSE(no_proxy_matches("0.0.1", "10.0.0.1"));  // no "suffix" matching for addresses
  EXPECT_TRUE(no_proxy_matches("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(no_proxy_matches("192.168.1.0/24", "192.168.1.77"));
  EXPECT_FALSE(no_proxy_matches("192.168.1.0/24", "192.168.2.1"));
  EXPECT_TRUE(no_proxy_matches("[::1]", "::1"));
  EXPECT_TRUE(no_proxy_matches("::1", "[::1]"));
  EXPECT_TRUE(no_proxy_matches("fd00::/8", "fd12:3456::1"));
  EXPECT_FALSE(no_proxy_matches("fd00::/8", "fe80::1"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", "ten.example.com"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/33", "10.0.0.1"));
}

}  // namespace
}  // namespace scavenger::aws
