// Deadlines, connection failures and per-operation cancellation of client::send.

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http_test_helpers.hpp"
#include "support/http_fixture.hpp"

namespace scavenger::http {
namespace {

using ::testing::HasSubstr;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using test::fixture_request;
using test::fixture_response;
using test::http_fixture;

// What a loaded machine may add to a deadline before the failure is seen.
constexpr milliseconds slack{700};

milliseconds since(steady_clock::time_point start) { return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start); }

fixture_response slow(milliseconds delay) {
  std::this_thread::sleep_for(delay);
  return {200, {}, "late", false};
}

// A port nothing listens on: bound by the kernel, then released.
std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

TEST(http_client_deadline, a_slow_response_times_out_within_the_deadline) {
  http_fixture server([](const fixture_request&) { return slow(milliseconds(1500)); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  constexpr milliseconds timeout{200};

  const auto start = steady_clock::now();
  const auto r = send_now(io, c, make_request("GET", "/"), timeout);
  const auto elapsed = since(start);

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::timed_out) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("read"));
  EXPECT_TRUE(r.error().retryable());
  EXPECT_GE(elapsed, timeout);
  EXPECT_LT(elapsed, timeout + slack);
  EXPECT_EQ(c.idle_connections(), 0u);  // a timed-out connection may still get the late answer: never reused
}

TEST(http_client_deadline, the_deadline_covers_the_whole_exchange_not_each_step) {
  // Connect and write are instant here, so a per-step timeout would also fire at ~timeout;
  // the point is that a reused connection starts with the full deadline again per send.
  std::atomic<int> calls{0};
  http_fixture server([&calls](const fixture_request&) {
    if (calls++ == 0) return fixture_response{200, {}, "fast", false};
    return slow(milliseconds(1000));
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  ASSERT_TRUE(send_now(io, c, make_request("GET", "/"), milliseconds(300)));

  const auto start = steady_clock::now();
  const auto r = send_now(io, c, make_request("GET", "/"), milliseconds(300));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::timed_out) << describe(r);
  EXPECT_LT(since(start), milliseconds(300) + slack);
  EXPECT_EQ(server.requests().size(), 2u);  // a timed-out request is not resent
}

TEST(http_client_deadline, connecting_to_a_closed_port_fails_quickly) {
  const auto port = closed_port();
  boost::asio::io_context io;
  client c(io.get_executor(), url_of("http://127.0.0.1:" + std::to_string(port)));

  const auto start = steady_clock::now();
  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::connect_failed) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_LT(since(start), milliseconds(1000));
  EXPECT_EQ(c.connections_opened(), 0u);
}

TEST(http_client_deadline, an_unresolvable_host_is_a_resolve_failure) {
  boost::asio::io_context io;
  // .invalid never resolves (RFC 6761), and there is no network anyway.
  client c(io.get_executor(), url_of("http://scavenger-test.invalid:8000"));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().kind, ::testing::AnyOf(transport_error::resolve_failed, transport_error::timed_out)) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("scavenger-test.invalid"));
}

TEST(http_client_deadline, a_host_name_is_resolved_and_connected) {
  http_fixture server([](const fixture_request&) { return fixture_response{200, {}, "by name", false}; });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of("http://localhost:" + std::to_string(server.port())));

  const auto r = send_now(io, c, make_request("GET", "/"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "by name");
  EXPECT_EQ(server.requests().at(0).header_value("Host"), "localhost:" + std::to_string(server.port()));
}

TEST(http_client_deadline, racing_a_timer_with_the_or_operator_ends_promptly) {
  using namespace boost::asio::experimental::awaitable_operators;
  std::atomic<int> calls{0};
  http_fixture server([&calls](const fixture_request&) {
    if (calls++ == 0) return slow(milliseconds(1500));
    return fixture_response{200, {}, "fast", false};
  });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));

  const auto start = steady_clock::now();
  const auto winner = test::run(io, [&]() -> boost::asio::awaitable<std::size_t> {
    boost::asio::steady_timer timer(io, milliseconds(100));
    const auto outcome = co_await (c.send(make_request("GET", "/"), milliseconds(10000)) || timer.async_wait(boost::asio::use_awaitable));
    co_return outcome.index();
  }());

  EXPECT_EQ(winner, 1u);  // the timer
  EXPECT_LT(since(start), milliseconds(100) + slack);
  EXPECT_EQ(c.idle_connections(), 0u);  // the interrupted connection was discarded

  // The client stays usable: the next send opens a new connection.
  const auto r = send_now(io, c, make_request("GET", "/"));
  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "fast");
  EXPECT_EQ(c.connections_opened(), 2u);
}

TEST(http_client_deadline, a_cancelled_send_returns_cancelled) {
  http_fixture server([](const fixture_request&) { return slow(milliseconds(1500)); });
  boost::asio::io_context io;
  client c(io.get_executor(), url_of(server.url()));
  boost::asio::cancellation_signal cancel;
  std::optional<send_result> result;

  boost::asio::co_spawn(io, c.send(make_request("GET", "/"), milliseconds(10000)),
                        boost::asio::bind_cancellation_slot(cancel.slot(), [&result](std::exception_ptr error, send_result r) {
                          if (error) std::rethrow_exception(error);
                          result = std::move(r);
                        }));
  boost::asio::steady_timer timer(io, milliseconds(100));
  timer.async_wait([&cancel](boost::system::error_code) { cancel.emit(boost::asio::cancellation_type::terminal); });
  const auto start = steady_clock::now();
  io.run_for(milliseconds(5000));

  ASSERT_TRUE(result.has_value());
  EXPECT_LT(since(start), milliseconds(100) + slack);
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error().kind, transport_error::cancelled) << describe(*result);
  EXPECT_FALSE(result->error().retryable());
  EXPECT_EQ(c.idle_connections(), 0u);
}

}  // namespace
}  // namespace scavenger::http
