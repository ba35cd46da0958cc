// The client against the in-process fixture over plain HTTP: round trips, keep-alive,
// the pool under concurrency, reconnects and response framing.

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_test_helpers.hpp"
#include "support/http_fixture.hpp"

namespace scavenger::http {
namespace {

using ::testing::HasSubstr;
using test::fixture_request;
using test::fixture_response;
using test::http_fixture;

fixture_response ok(std::string body = "ok") { return {200, {}, std::move(body), false}; }

// A one-shot server for byte-exact responses the fixture cannot produce (chunked framing,
// garbage, a close without an answer). Serves `connections` connections, one after the other:
// reads one request head, writes `reply`, then closes.
class raw_server {
 public:
  raw_server(std::string reply, int connections = 1) : acceptor_(io_, {boost::asio::ip::make_address_v4("127.0.0.1"), 0}) {
    thread_ = std::thread([this, reply = std::move(reply), connections] {
      for (int i = 0; i < connections; ++i) {
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec) return;
        ++accepted_;
        boost::asio::streambuf head;
        boost::asio::read_until(socket, head, "\r\n\r\n", ec);
        if (ec) continue;
        boost::asio::write(socket, boost::asio::buffer(reply), ec);
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      }
    });
  }
  ~raw_server() {
    // Unblocks accept() if the test sent fewer requests than expected.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  int accepted() const { return accepted_.load(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

TEST(http_client, round_trip_carries_method_target_headers_and_body_both_ways) {
  http_fixture server([](const fixture_request& r) {
    return fixture_response{201, {{"X-Echo-Method", r.method}, {"X-Echo-Target", r.target}}, "got:" + r.body, false};
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  auto req = make_request("PUT", "/items/1?mode=full", "hello");
  req.headers.push_back({"X-Amz-Target", "DynamoDB_20120810.Scan"});

  const auto r = send_now(io, c, req);

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->body, "got:hello");
  EXPECT_EQ(r->header_value("x-echo-method"), "PUT");
  EXPECT_EQ(r->header_value("X-Echo-Target"), "/items/1?mode=full");
  EXPECT_EQ(r->header_value("Content-Length"), "9");
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/items/1?mode=full");
  EXPECT_EQ(seen[0].body, "hello");
  EXPECT_EQ(seen[0].header_value("X-Amz-Target"), "DynamoDB_20120810.Scan");
  EXPECT_EQ(seen[0].header_value("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen[0].header_value("Content-Length"), "5");
  EXPECT_EQ(seen[0].header_value("User-Agent"), "scavenger");
}

TEST(http_client, headers_the_caller_set_are_sent_as_given_and_not_duplicated) {
  http_fixture server([](const fixture_request&) { return ok(); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  auto req = make_request("GET", "/");
  req.headers = {{"host", "signed.example:8000"}, {"user-agent", "custom/1.0"}};

  ASSERT_TRUE(send_now(io, c, req));

  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header_value("Host"), "signed.example:8000");
  EXPECT_EQ(seen[0].header_value("User-Agent"), "custom/1.0");
  const auto named = [&](std::string_view name) {
    return std::count_if(seen[0].headers.begin(), seen[0].headers.end(), [&](const header& h) { return find_header({h}, name).has_value(); });
  };
  EXPECT_EQ(named("host"), 1);
  EXPECT_EQ(named("user-agent"), 1);
}

TEST(http_client, sequential_requests_reuse_one_keep_alive_connection) {
  http_fixture server([](const fixture_request& r) { return ok(r.target); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  for (int i = 0; i < 10; ++i) {
    const auto r = send_now(io, c, make_request("GET", "/" + std::to_string(i)));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "/" + std::to_string(i));
  }

  EXPECT_EQ(c.connections_opened(), 1u);
  EXPECT_EQ(c.idle_connections(), 1u);
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(server.requests().size(), 10u);
}

TEST(http_client, concurrent_requests_open_at_most_one_connection_each_then_reuse_them) {
  // The handler is slow enough that all the requests are in flight together.
  http_fixture server([](const fixture_request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return ok();
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  constexpr std::size_t n = 5;

  for (const auto& r : send_concurrently(io, c, n, make_request("GET", "/"))) ASSERT_TRUE(r) << describe(r);
  const auto opened_first = c.connections_opened();
  EXPECT_GE(opened_first, 1u);
  EXPECT_LE(opened_first, n);
  EXPECT_EQ(c.idle_connections(), opened_first);

  for (const auto& r : send_concurrently(io, c, n, make_request("GET", "/"))) ASSERT_TRUE(r) << describe(r);
  EXPECT_LE(c.connections_opened(), n);
  EXPECT_EQ(server.requests().size(), 2 * n);
}

TEST(http_client, idle_connections_beyond_the_limit_are_closed) {
  http_fixture server([](const fixture_request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return ok();
  });
  boost::asio::io_context io;
  client_options options;
  options.max_idle_connections = 2;
  client c(io.get_executor(), url_of(server.url()), options);

  for (const auto& r : send_concurrently(io, c, 4, make_request("GET", "/"))) ASSERT_TRUE(r) << describe(r);

  EXPECT_EQ(c.connections_opened(), 4u);
  EXPECT_EQ(c.idle_connections(), 2u);
  c.close_idle_connections();
  EXPECT_EQ(c.idle_connections(), 0u);
}

TEST(http_client, reconnects_once_when_the_server_closed_the_idle_connection) {
  http_fixture server([](const fixture_request&) { return ok(); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  ASSERT_TRUE(send_now(io, c, make_request("POST", "/first", "1")));
  ASSERT_EQ(c.idle_connections(), 1u);

  server.close_all_connections();
  const auto r = send_now(io, c, make_request("POST", "/second", "2"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(c.connections_opened(), 2u);
  EXPECT_EQ(server.connections_accepted(), 2u);
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);  // the second request reached the server exactly once
  EXPECT_EQ(seen[1].target, "/second");
}

// A reset after the server read the request looks, to the client, like a stale connection,
// but the server may have acted on the request: resending it behind the caller's back would
// apply a DynamoDB delete twice without anyone knowing the first one may have succeeded.
TEST(http_client, a_request_written_to_a_reused_connection_that_is_then_reset_is_not_resent) {
  std::atomic<int> calls{0};
  http_fixture server([&calls](const fixture_request&) {
    fixture_response answer = ok();
    if (calls++ == 1) answer.ending = test::fixture_ending::reset;  // the second request: read, then a reset
    return answer;
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  ASSERT_TRUE(send_now(io, c, make_request("POST", "/first", "1")));
  ASSERT_EQ(c.idle_connections(), 1u);

  const auto r = send_now(io, c, make_request("POST", "/second", "2"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::connection_closed) << describe(r);
  EXPECT_TRUE(r.error().retryable());
  EXPECT_EQ(server.requests().size(), 2u);  // the second request reached the server once
  EXPECT_EQ(c.connections_opened(), 1u);
}

TEST(http_client, a_body_shorter_than_its_content_length_is_a_failure_and_not_resent) {
  std::atomic<int> calls{0};
  http_fixture server([&calls](const fixture_request&) {
    fixture_response answer = ok("a body long enough to cut");
    if (calls++ == 1) answer.ending = test::fixture_ending::truncate;
    return answer;
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  ASSERT_TRUE(send_now(io, c, make_request("POST", "/first", "1")));

  const auto r = send_now(io, c, make_request("POST", "/second", "2"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::connection_closed) << describe(r);
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(c.idle_connections(), 0u);
}

TEST(http_client, connection_close_from_the_server_is_honoured) {
  http_fixture server([](const fixture_request&) { return fixture_response{200, {}, "bye", true}; });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  for (int i = 0; i < 2; ++i) {
    const auto r = send_now(io, c, make_request("GET", "/"));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "bye");
    EXPECT_EQ(c.idle_connections(), 0u);
  }
  EXPECT_EQ(c.connections_opened(), 2u);
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(http_client, reads_a_chunked_response) {
  raw_server server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
      "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "hello, world");
  EXPECT_EQ(r->header_value("content-type"), "text/plain");
}

TEST(http_client, reads_a_response_delimited_by_the_end_of_the_connection) {
  raw_server server("HTTP/1.1 200 OK\r\n\r\nuntil the end");
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "until the end");
  EXPECT_EQ(c.idle_connections(), 0u);  // such a connection cannot carry another response
}

TEST(http_client, a_fresh_connection_closed_without_a_response_is_not_retried) {
  raw_server server("", 2);
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("POST", "/", "x"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::connection_closed) << describe(r);
  EXPECT_TRUE(r.error().retryable());
  EXPECT_EQ(c.connections_opened(), 1u);
  EXPECT_EQ(server.accepted(), 1);
}

TEST(http_client, bytes_that_are_not_http_are_a_protocol_error) {
  raw_server server("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::protocol_error) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("127.0.0.1"));
}

TEST(http_client, a_body_beyond_the_limit_is_a_protocol_error) {
  // Refused from the announced length alone: nothing close to 1 GiB is sent or buffered.
  raw_server server("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\nstart");
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::protocol_error) << describe(r);
}

TEST(http_client, a_response_to_head_has_no_body_to_wait_for) {
  http_fixture server([](const fixture_request&) { return ok("a body HEAD does not get"); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("HEAD", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(c.idle_connections(), 1u);
}

TEST(http_client, a_throwing_fixture_handler_answers_500) {
  http_fixture server([](const fixture_request&) -> fixture_response { throw std::runtime_error("boom"); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->status, 500u);
  EXPECT_THAT(r->body, HasSubstr("boom"));
}

}  // namespace
}  // namespace scavenger::http
