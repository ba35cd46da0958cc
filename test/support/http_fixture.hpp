#pragma once
// An in-process HTTP/1.1 server on 127.0.0.1 for tests of the peers that cannot run here
// (credentials endpoints, IMDS, and later the Lambda Runtime API). It runs on its own
// thread with its own io_context, serving each connection (keep-alive) in its own coroutine.
//
// Thread safety: the public member functions may be called from any thread. Handlers run on
// a pool of worker threads (8 unless told), so that a handler may sleep to play a slow server
// without holding up other connections; handlers of concurrent requests therefore run
// concurrently, and state a handler shares must be atomic or locked. A handler that throws
// answers 500.
//
// For fault injection a response can also be delayed (on the fixture's own thread, holding no
// worker), replaced by a connection reset, or cut short (see fixture_ending).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace scavenger::test {

struct fixture_request {
  std::string method;
  std::string target;
  std::vector<http::header> headers;
  std::string body;
  std::optional<std::string_view> header_value(std::string_view name) const { return http::find_header(headers, name); }
};

// How the fixture ends an exchange: the faults a client must survive.
enum class fixture_ending {
  respond,   // send the response (and keep the connection unless close_connection)
  reset,     // send nothing and reset the connection: SO_LINGER 0, then close (a TCP RST)
  truncate,  // send the head with the whole body's Content-Length, then less than half
             // the body, then close: a truncated body (give it one byte at least)
};

struct fixture_response {
  unsigned status = 200;
  std::vector<http::header> headers;  // Content-Length is added by the fixture
  std::string body;
  bool close_connection = false;  // send "Connection: close" and close after the response
  // Waited on the fixture's thread before ending the exchange, holding no handler thread:
  // a server slower than the client's time-out.
  std::chrono::milliseconds delay{0};
  fixture_ending ending = fixture_ending::respond;
};

// PEM certificate chain and key for a TLS fixture.
struct fixture_tls {
  std::string certificate_chain_file;
  std::string private_key_file;
};

class http_fixture {
 public:
  using handler = std::function<fixture_response(const fixture_request&)>;

  static constexpr std::size_t default_handler_threads = 8;

  explicit http_fixture(handler on_request, std::optional<fixture_tls> tls = std::nullopt,
                        std::size_t handler_threads = default_handler_threads);
  ~http_fixture();  // stops accepting, closes connections, joins the thread
  http_fixture(const http_fixture&) = delete;
  http_fixture& operator=(const http_fixture&) = delete;

  std::uint16_t port() const noexcept;
  std::string url() const;  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"

  std::size_t connections_accepted() const noexcept;
  std::vector<fixture_request> requests() const;  // every request so far, in arrival order
  // Closes every open connection from the server side (to test reconnects of idle pooled connections).
  void close_all_connections();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A CA and leaf certificates made with the openssl command for a test, in `directory`:
// ca.pem, and for each leaf NAME.pem / NAME.key. `subject_alt_name` is e.g. "IP:127.0.0.1"
// or "DNS:wrong.example".
struct test_certificates {
  std::string directory;
  std::string ca_file;
  fixture_tls leaf(const std::string& name) const;
};
test_certificates make_test_certificates(const std::string& directory,
                                         const std::vector<std::pair<std::string, std::string>>& leaves_name_and_san);

}  // namespace scavenger::test
