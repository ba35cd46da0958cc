// Proxies: CONNECT tunnels for https endpoints, absolute-form requests for http ones.

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <istream>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
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
using tcp = boost::asio::ip::tcp;

// A minimal CONNECT proxy that tunnels to 127.0.0.1 only. One thread per connection; every
// loop polls with a short timeout so that the destructor can stop it.
class connect_proxy {
 public:
  explicit connect_proxy(bool refuse = false) : refuse_(refuse), acceptor_(io_, {boost::asio::ip::make_address_v4("127.0.0.1"), 0}) {
    acceptor_.non_blocking(true);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~connect_proxy() {
    stop_ = true;
    accept_thread_.join();  // after this, nothing appends to tunnels_
    for (auto& t : tunnels_) t.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  std::vector<std::string> request_lines() const {
    std::lock_guard lock(mutex_);
    return request_lines_;
  }

 private:
  static bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 50) > 0;
  }

  void accept_loop() {
    while (!stop_) {
      if (!readable(acceptor_.native_handle())) continue;
      boost::system::error_code ec;
      auto client = std::make_shared<tcp::socket>(io_);
      acceptor_.accept(*client, ec);
      if (ec) continue;
      std::lock_guard lock(mutex_);
      tunnels_.emplace_back([this, client] { tunnel(*client); });
    }
  }

  void tunnel(tcp::socket& client) {
    boost::system::error_code ec;
    boost::asio::streambuf head;
    boost::asio::read_until(client, head, "\r\n\r\n", ec);
    if (ec) return;
    std::string line;
    std::istream in(&head);
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    {
      std::lock_guard lock(mutex_);
      request_lines_.push_back(line);
    }
    // "CONNECT 127.0.0.1:PORT HTTP/1.1": everything between the last ':' and the space is the port.
    const auto colon = line.rfind(':');
    const auto space = line.rfind(' ');
    if (refuse_ || line.rfind("CONNECT 127.0.0.1:", 0) != 0 || colon == std::string::npos || space < colon) {
      boost::asio::write(client, boost::asio::buffer(std::string("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")), ec);
      return;
    }
    tcp::socket upstream(io_);
    upstream.connect({boost::asio::ip::make_address_v4("127.0.0.1"), static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1, space - colon - 1)))}, ec);
    if (ec) return;
    boost::asio::write(client, boost::asio::buffer(std::string("HTTP/1.1 200 Connection established\r\n\r\n")), ec);
    pump(client.native_handle(), upstream.native_handle());
  }

  // Copies bytes both ways until either side closes or the proxy stops.
  void pump(int a, int b) {
    char buffer[16384];
    while (!stop_) {
      pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(fds, 2, 50) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const int from = i == 0 ? a : b;
        const int to = i == 0 ? b : a;
        const auto n = ::read(from, buffer, sizeof buffer);
        if (n <= 0) return;
        if (::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) return;
      }
    }
  }

  bool refuse_;
  std::atomic<bool> stop_{false};
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::string> request_lines_;
  std::vector<std::thread> tunnels_;  // appended by the accept thread, under mutex_
  std::thread accept_thread_;
};

class http_client_proxy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto dir = std::filesystem::path(::testing::TempDir()) / ("scavenger-http-proxy-" + std::to_string(::getpid()));
    certificates_ = new test::test_certificates(test::make_test_certificates(dir.string(), {{"ip", "IP:127.0.0.1"}}));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(certificates_->directory, ignored);
    delete certificates_;
    certificates_ = nullptr;
  }
  static client_options via(const std::string& proxy) {
    client_options options;
    options.ca_bundle_file = certificates_->ca_file;
    options.proxy = url_of(proxy);
    return options;
  }

  static test::test_certificates* certificates_;
  boost::asio::io_context io_;
};

test::test_certificates* http_client_proxy::certificates_ = nullptr;

TEST_F(http_client_proxy, https_goes_through_a_connect_tunnel_that_is_kept_alive) {
  http_fixture server([](const fixture_request& r) { return fixture_response{200, {}, "tunnelled " + r.target, false}; }, certificates_->leaf("ip"));
  connect_proxy proxy;
  client c(io_.get_executor(), url_of(server.url()), via(proxy.url()));

  for (int i = 0; i < 2; ++i) {
    const auto r = send_now(io_, c, make_request("POST", "/x", "{}"));
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(r->body, "tunnelled /x");
  }

  EXPECT_EQ(c.connections_opened(), 1u);
  EXPECT_THAT(proxy.request_lines(), ::testing::ElementsAre("CONNECT 127.0.0.1:" + std::to_string(server.port()) + " HTTP/1.1"));
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/x");  // origin form inside the tunnel
  EXPECT_EQ(seen[0].header_value("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(http_client_proxy, a_refused_connect_is_a_connect_failure_naming_the_status) {
  http_fixture server([](const fixture_request&) { return fixture_response{}; }, certificates_->leaf("ip"));
  connect_proxy proxy(/*refuse=*/true);
  client c(io_.get_executor(), url_of(server.url()), via(proxy.url()));

  const auto r = send_now(io_, c, make_request("GET", "/"));

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, transport_error::connect_failed) << describe(r);
  EXPECT_THAT(r.error().detail, HasSubstr("407"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(http_client_proxy, plain_http_is_sent_to_the_proxy_in_absolute_form) {
  // The fixture plays the proxy: it records what it is sent. The endpoint is never resolved.
  http_fixture proxy([](const fixture_request&) { return fixture_response{200, {}, "from proxy", false}; });
  client c(io_.get_executor(), url_of("http://scavenger-test.invalid:8000"), via(proxy.url()));

  const auto r = send_now(io_, c, make_request("GET", "/path?q=1"));

  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(r->body, "from proxy");
  const auto seen = proxy.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "http://scavenger-test.invalid:8000/path?q=1");
  EXPECT_EQ(seen[0].header_value("Host"), "scavenger-test.invalid:8000");
}

TEST_F(http_client_proxy, an_https_proxy_url_is_refused) {
  EXPECT_THROW(client(io_.get_executor(), url_of("https://127.0.0.1:1"), via("https://127.0.0.1:2")), std::runtime_error);
}

}  // namespace
}  // namespace scavenger::http
