#pragma once
// An asynchronous HTTP/1.1 client for one endpoint, on Boost.Asio/Beast with C++20 coroutines.
//
// Thread safety: none. A client and every coroutine using it run on one io_context thread
// (the scavenger runs everything on one io_context); that is why the pool needs no lock.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "http/message.hpp"
#include "http/transport_error.hpp"
#include "http/url.hpp"

namespace scavenger::http {

struct client_options {
  // Idle keep-alive connections kept for reuse (the most recent first); connections beyond
  // this are closed after use.
  std::size_t max_idle_connections = 128;
  // PEM file of extra trusted CAs, added to the system trust store (--ca-bundle / AWS_CA_BUNDLE).
  std::optional<std::string> ca_bundle_file;
  // http:// URL of an HTTP CONNECT proxy (HTTPS_PROXY / HTTP_PROXY), already filtered by NO_PROXY.
  // https endpoints are tunnelled with CONNECT; http ones are sent to it in absolute form.
  std::optional<url> proxy;
};

using send_result = boost::system::result<response, transport_failure>;

class client {
 public:
  // Throws std::runtime_error when ca_bundle_file cannot be loaded or the proxy is https://
  // (configuration errors). Connects lazily: constructing does no I/O.
  client(boost::asio::any_io_executor executor, url endpoint, client_options options = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Sends one request and reads the whole response (body up to 64 MiB). `timeout` bounds the
  // whole exchange: resolve, connect, proxy CONNECT, TLS handshake, write and read all run
  // against one deadline; on expiry the result is transport_error::timed_out naming the stage.
  // A pooled connection that the server closed while idle is dropped before use, or replaced
  // transparently, once, when writing the request to it fails. Once the request was written,
  // a failure is returned as is, even if no response byte arrived: the server may have acted
  // on the request (a reset after processing it looks the same), and only the caller knows
  // whether sending it again is safe. A new connection's failure is returned as is. Any HTTP
  // status is a response, not an error.
  //
  // Cancellation: supports Asio per-operation cancellation (terminal, partial or total), e.g.
  // `co_await (c.send(...) || timer.async_wait(use_awaitable))`. The coroutine then ends
  // promptly, discards the connection in use and returns transport_error::cancelled; it does
  // not throw. Several sends may run at once (each on its own connection); the client must
  // outlive every send it started.
  boost::asio::awaitable<send_result> send(request req, std::chrono::milliseconds timeout);

  const url& endpoint() const noexcept;
  // TCP connections opened since construction (tests and the Lambda loop check reuse with it).
  std::size_t connections_opened() const noexcept;
  std::size_t idle_connections() const noexcept;
  void close_idle_connections();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace scavenger::http
