// URL parsing, header look-up and error names.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/message.hpp"
#include "http/transport_error.hpp"
#include "http/url.hpp"

namespace scavenger::http {
namespace {

using ::testing::HasSubstr;

TEST(url, parses_scheme_host_port_and_target) {
  const auto u = parse_url("http://127.0.0.1:8000/tables?x=1");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8000);
  EXPECT_EQ(u->target, "/tables?x=1");
  EXPECT_FALSE(u->tls());
}

TEST(url, applies_the_default_port_of_each_scheme) {
  const auto https = parse_url("https://dynamodb.eu-west-1.amazonaws.com");
  ASSERT_TRUE(https) << https.error();
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->target, "/");
  EXPECT_TRUE(https->tls());
  const auto http = parse_url("HTTP://example.com");
  ASSERT_TRUE(http) << http.error();
  EXPECT_EQ(http->scheme, "http");
  EXPECT_EQ(http->port, 80);
}

TEST(url, host_header_omits_only_the_default_port) {
  EXPECT_EQ(parse_url("https://dynamodb.us-east-1.amazonaws.com")->host_header(), "dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(parse_url("https://example.com:443/")->host_header(), "example.com");
  EXPECT_EQ(parse_url("http://example.com:443/")->host_header(), "example.com:443");
  EXPECT_EQ(parse_url("http://localhost:8000")->host_header(), "localhost:8000");
}

TEST(url, origin_drops_the_target) {
  EXPECT_EQ(parse_url("http://localhost:8000/a/b?c")->origin(), "http://localhost:8000");
  EXPECT_EQ(parse_url("https://example.com/")->origin(), "https://example.com");
}

TEST(url, parses_ipv6_literals_in_brackets) {
  const auto u = parse_url("http://[::1]:8000/");
  ASSERT_TRUE(u) << u.error();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8000);
  EXPECT_EQ(u->host_header(), "[::1]:8000");
  EXPECT_EQ(u->origin(), "http://[::1]:8000");
  const auto no_port = parse_url("https://[2001:db8::1]");
  ASSERT_TRUE(no_port) << no_port.error();
  EXPECT_EQ(no_port->port, 443);
  EXPECT_EQ(no_port->host_header(), "[2001:db8::1]");
}

TEST(url, a_query_without_a_path_gets_the_root_path) {
  EXPECT_EQ(parse_url("http://h?q=1")->target, "/?q=1");
  EXPECT_EQ(parse_url("http://h/p#fragment")->target, "/p");
}

TEST(url, rejects_other_schemes) {
  const auto u = parse_url("ftp://example.com/");
  ASSERT_FALSE(u);
  EXPECT_THAT(u.error(), HasSubstr("unsupported URL scheme 'ftp'"));
  EXPECT_FALSE(parse_url("example.com:8000"));
  EXPECT_FALSE(parse_url(""));
}

TEST(url, rejects_a_missing_host) {
  for (const char* text : {"http://", "http:///path", "https://:443/", "http://[]:80"}) {
    const auto u = parse_url(text);
    ASSERT_FALSE(u) << text;
    EXPECT_THAT(u.error(), ::testing::AnyOf(HasSubstr("missing host"), HasSubstr("invalid IPv6"))) << text;
  }
}

TEST(url, rejects_bad_ports) {
  for (const char* text : {"http://h:0", "http://h:65536", "http://h:", "http://h:80a", "http://h:+80", "http://h:-1", "http://h:123456"}) {
    const auto u = parse_url(text);
    ASSERT_FALSE(u) << text;
    EXPECT_THAT(u.error(), HasSubstr("invalid port")) << text;
  }
  EXPECT_TRUE(parse_url("http://h:65535"));
  EXPECT_TRUE(parse_url("http://h:1"));
}

TEST(url, rejects_malformed_ipv6_and_user_info) {
  EXPECT_FALSE(parse_url("http://[::1:8000/"));
  EXPECT_FALSE(parse_url("http://[not-ipv6]:80/"));
  EXPECT_FALSE(parse_url("http://[::1]x/"));
  EXPECT_FALSE(parse_url("http://user:secret@example.com/"));
}

TEST(url, errors_are_one_line_and_quote_the_input) {
  const auto u = parse_url("http://h:99999/");
  ASSERT_FALSE(u);
  EXPECT_THAT(u.error(), HasSubstr("'http://h:99999/'"));
  EXPECT_EQ(u.error().find('\n'), std::string::npos);
}

TEST(message, find_header_ignores_case_and_returns_the_first) {
  const std::vector<header> headers{{"Content-Type", "a"}, {"X-Amz-Date", "b"}, {"content-type", "c"}};
  EXPECT_EQ(find_header(headers, "content-type"), "a");
  EXPECT_EQ(find_header(headers, "X-AMZ-DATE"), "b");
  EXPECT_FALSE(find_header(headers, "X-Amz"));
  EXPECT_FALSE(find_header(headers, "Content-Typ"));
  EXPECT_FALSE(find_header({}, "Host"));
}

TEST(message, response_header_value_uses_find_header) {
  response r;
  r.headers = {{"x-amzn-RequestId", "abc"}};
  EXPECT_EQ(r.header_value("X-Amzn-RequestId"), "abc");
  EXPECT_FALSE(r.header_value("X-Amz-Crc32"));
}

TEST(transport_error, names_every_kind_and_knows_what_is_retryable) {
  EXPECT_EQ(to_string(transport_error::timed_out), "timed_out");
  EXPECT_EQ(to_string(transport_error::certificate_rejected), "certificate_rejected");
  EXPECT_EQ(to_string(transport_error::cancelled), "cancelled");
  EXPECT_TRUE((transport_failure{transport_error::connection_closed, ""}.retryable()));
  EXPECT_FALSE((transport_failure{transport_error::certificate_rejected, ""}.retryable()));
}

}  // namespace
}  // namespace scavenger::http
