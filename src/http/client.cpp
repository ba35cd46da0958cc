// The whole HTTP client lives in this one translation unit, so that Beast's templates are
// compiled once (builds are slow) and no header above src/http sees them.

#include "http/client.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>

#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/tls.hpp"

namespace scavenger::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using steady_clock = std::chrono::steady_clock;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using outgoing_message = bhttp::request<bhttp::string_body>;

// Expected failures come back as values, as in Beast's awaitable client example.
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// DynamoDB responses are at most a few MiB (a Scan page is capped at 1 MB of items); anything
// far larger is not a response we can use.
constexpr std::uint64_t max_response_body = 64ull << 20;

// One keep-alive connection: the stream and the bytes read past the previous response.
struct connection {
  std::variant<beast::tcp_stream, tls_stream> stream;
  beast::flat_buffer buffer;

  explicit connection(beast::tcp_stream plain) : stream(std::move(plain)) {}
  connection(beast::tcp_stream plain, asio::ssl::context& context) : stream(std::in_place_type<tls_stream>, std::move(plain), context) {}

  beast::tcp_stream& tcp() noexcept {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream);
  }
};

using connection_ptr = std::unique_ptr<connection>;

template <class T>
using attempt = boost::system::result<T, transport_failure>;

transport_failure failure(transport_error kind, std::string detail) { return {kind, std::move(detail)}; }

// A failed exchange, and whether a reused connection may be replaced and the request resent:
// only when the request could not be written whole, so the server cannot have processed it
// (see client::impl::send).
struct exchange_failure {
  transport_failure failure;
  bool request_unwritten = false;
};

bool is_peer_closed(const error_code& ec) noexcept {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;
}

// "host:port" with brackets for IPv6: the CONNECT authority and what details name.
std::string authority_of(const std::string& host, std::uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// Whether an idle keep-alive connection is still usable: the server has sent nothing since
// the last response (no end of stream, no reset, no stray bytes such as a 408 or a TLS
// close_notify before it closes). A non-blocking peek, so nothing is consumed.
bool idle_connection_usable(beast::tcp_stream& stream) noexcept {
  char byte = 0;
  const auto received = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

asio::awaitable<bool> cancellation_requested() {
  const auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

struct client::impl {
  asio::any_io_executor executor;
  url endpoint;
  client_options options;
  std::optional<asio::ssl::context> tls_context;
  std::vector<connection_ptr> idle;  // back() is the most recently used (LIFO reuse)
  std::size_t opened = 0;

  impl(asio::any_io_executor ex, url ep, client_options opts)
      : executor(std::move(ex)), endpoint(std::move(ep)), options(std::move(opts)) {
    if (endpoint.tls()) tls_context.emplace(make_tls_client_context(options.ca_bundle_file));
    if (options.proxy && options.proxy->tls()) throw std::runtime_error("HTTPS proxies are not supported: " + options.proxy->origin());
  }

  bool via_proxy() const noexcept { return options.proxy.has_value(); }
  const url& first_hop() const noexcept { return via_proxy() ? *options.proxy : endpoint; }
  std::string endpoint_authority() const { return authority_of(endpoint.host, endpoint.port); }

  // Turns an error of `stage` into a failure of kind `otherwise`, but the deadline and the
  // caller's cancellation first, since Beast reports both as errors of whichever operation was
  // running. A peer that hangs up during connect or the TLS handshake fails that stage.
  asio::awaitable<transport_failure> classify(const error_code& ec, std::string_view stage, transport_error otherwise,
                                              std::chrono::milliseconds timeout) const {
    const std::string where = std::string(stage) + " (" + endpoint_authority() + (via_proxy() ? " via proxy " + authority_of(first_hop().host, first_hop().port) : "") + ")";
    if (ec == beast::error::timeout) {
      co_return failure(transport_error::timed_out, "request timed out after " + std::to_string(timeout.count()) + " ms during " + where);
    }
    const bool cancelled = co_await cancellation_requested();
    if (cancelled) co_return failure(transport_error::cancelled, "request cancelled during " + where);
    if (otherwise == transport_error::connection_closed && is_peer_closed(ec)) {
      co_return failure(transport_error::connection_closed, "connection closed by the server during " + where + ": " + ec.message());
    }
    co_return failure(otherwise, where + " failed: " + ec.message());
  }

  // Resolves with the deadline enforced by a timer, because a getaddrinfo in progress cannot be
  // cancelled: the resolver's result is then dropped when it arrives. IP literals skip DNS.
  asio::awaitable<attempt<std::vector<tcp::endpoint>>> resolve(const url& where, steady_clock::time_point deadline,
                                                                 std::chrono::milliseconds timeout) {
    error_code parse_ec;
    const auto address = asio::ip::make_address(where.host, parse_ec);
    if (!parse_ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(address, where.port)};

    struct resolve_state {
      tcp::resolver resolver;
      asio::steady_timer wake;
      bool done = false;
      error_code ec;
      std::vector<tcp::endpoint> endpoints;
      explicit resolve_state(const asio::any_io_executor& ex) : resolver(ex), wake(ex) {}
    };
    auto state = std::make_shared<resolve_state>(executor);
    state->wake.expires_at(deadline);
    state->resolver.async_resolve(where.host, std::to_string(where.port),
                                  [state](const error_code& ec, const tcp::resolver::results_type& results) {
                                    state->done = true;
                                    state->ec = ec;
                                    for (const auto& entry : results) state->endpoints.push_back(entry.endpoint());
                                    state->wake.cancel();
                                  });
    // Wakes on the resolver's answer (which cancels the timer), the deadline, or the caller's cancellation.
    const auto [wait_ec] = co_await state->wake.async_wait(as_result);
    if (!state->done) {
      state->resolver.cancel();
      if (!wait_ec) {
        co_return failure(transport_error::timed_out, "request timed out after " + std::to_string(timeout.count()) + " ms while resolving " + where.host);
      }
      co_return failure(transport_error::cancelled, "request cancelled while resolving " + where.host);
    }
    if (state->ec || state->endpoints.empty()) {
      co_return failure(transport_error::resolve_failed, "cannot resolve host '" + where.host + "': " + (state->ec ? state->ec.message() : "no address"));
    }
    co_return std::move(state->endpoints);
  }

  // Asks the proxy for a tunnel to the endpoint (RFC 9110, section 9.3.6).
  asio::awaitable<attempt<void>> open_tunnel(beast::tcp_stream& stream, beast::flat_buffer& buffer, std::chrono::milliseconds timeout) {
    const std::string authority = endpoint_authority();
    bhttp::request<bhttp::empty_body> connect_request{bhttp::verb::connect, authority, 11};
    connect_request.set(bhttp::field::host, authority);
    connect_request.set(bhttp::field::user_agent, "scavenger");
    const auto [write_ec, written] = co_await bhttp::async_write(stream, connect_request, as_result);
    if (write_ec) co_return co_await classify(write_ec, "proxy CONNECT", transport_error::connect_failed, timeout);
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a 2xx answer to CONNECT has no body: the tunnel starts right after the header
    const auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, as_result);
    if (read_ec) co_return co_await classify(read_ec, "proxy CONNECT", transport_error::connect_failed, timeout);
    const unsigned status = parser.get().result_int();
    if (status < 200 || status > 299) {
      co_return failure(transport_error::connect_failed, "proxy " + authority_of(first_hop().host, first_hop().port) + " refused CONNECT to " +
                                                             authority + ": " + std::to_string(status) + " " + std::string(parser.get().reason()));
    }
    if (buffer.size() != 0) co_return failure(transport_error::protocol_error, "proxy sent data before the TLS handshake to " + authority);
    co_return boost::system::result<void, transport_failure>{};
  }

  asio::awaitable<attempt<connection_ptr>> open_connection(steady_clock::time_point deadline, std::chrono::milliseconds timeout) {
    const url& hop = first_hop();
    auto endpoints = co_await resolve(hop, deadline, timeout);
    if (!endpoints) co_return endpoints.error();

    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    const auto [connect_ec, peer] = co_await stream.async_connect(*endpoints, as_result);
    if (connect_ec) co_return co_await classify(connect_ec, via_proxy() ? "connect to proxy" : "connect", transport_error::connect_failed, timeout);
    ++opened;
    // Requests are written whole; Nagle would only delay the last segment.
    error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);

    if (!endpoint.tls()) co_return std::make_unique<connection>(std::move(stream));

    beast::flat_buffer buffer;
    if (via_proxy()) {
      const auto tunnel = co_await open_tunnel(stream, buffer, timeout);
      if (!tunnel) co_return tunnel.error();
    }
    auto conn = std::make_unique<connection>(std::move(stream), *tls_context);
    auto& tls = std::get<tls_stream>(conn->stream);
    verify_peer_as(tls.native_handle(), endpoint.host);
    const auto [handshake_ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, as_result);
    if (handshake_ec) {
      if (const auto reason = certificate_failure_reason(tls.native_handle()); reason && handshake_ec != beast::error::timeout) {
        co_return failure(transport_error::certificate_rejected,
                          "TLS certificate of " + endpoint_authority() + " rejected: " + *reason +
                              " (if it is signed by a private CA, pass that CA with --ca-bundle)");
      }
      co_return co_await classify(handshake_ec, "TLS handshake", transport_error::tls_handshake_failed, timeout);
    }
    co_return conn;
  }

  // Writes the request and reads the whole response on `stream`.
  template <class Stream>
  asio::awaitable<boost::system::result<response, exchange_failure>> exchange(Stream& stream, connection& conn, outgoing_message& message,
                                                                               bool& keep_alive, std::chrono::milliseconds timeout) {
    // No co_await inside the braced initialisers below: GCC 12 then destroys temporaries twice.
    const auto [write_ec, written] = co_await bhttp::async_write(stream, message, as_result);
    if (write_ec) {
      auto failed = co_await classify(write_ec, "write", transport_error::connection_closed, timeout);
      // Nothing can have been processed: the server acts on a request only once it is whole.
      co_return exchange_failure{std::move(failed), true};
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_response_body);
    // A response to HEAD announces a body it does not send (RFC 9110, section 9.3.2).
    if (message.method() == bhttp::verb::head) parser.skip(true);
    const auto [ec, read] = co_await bhttp::async_read(stream, conn.buffer, parser, as_result);
    if (ec) {
      // The request was written whole: the server may have processed it even when nothing of
      // its answer arrived (it reset the connection, or closed it, after acting on it).
      // Beast's http category means the bytes were not a valid response (or exceeded the body limit).
      const auto kind = ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() && !is_peer_closed(ec)
                            ? transport_error::protocol_error
                            : transport_error::connection_closed;
      auto failed = co_await classify(ec, "read", kind, timeout);
      co_return exchange_failure{std::move(failed), false};
    }
    keep_alive = parser.keep_alive() && conn.buffer.size() == 0;
    auto& received = parser.get();
    response out;
    out.status = received.result_int();
    for (const auto& field : received) out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    out.body = std::move(received.body());
    co_return out;
  }

  outgoing_message make_message(request req) const {
    outgoing_message message;
    message.version(11);
    if (const auto verb = bhttp::string_to_verb(req.method); verb != bhttp::verb::unknown) {
      message.method(verb);
    } else {
      message.method_string(req.method);
    }
    // A plain-HTTP proxy is sent the absolute form (RFC 9112, section 3.2.2); tunnels get origin form.
    message.target(via_proxy() && !endpoint.tls() ? endpoint.origin() + req.target : req.target);
    for (const auto& h : req.headers) message.insert(h.name, h.value);
    if (!find_header(req.headers, "host")) message.set(bhttp::field::host, endpoint.host_header());
    if (!find_header(req.headers, "user-agent")) message.set(bhttp::field::user_agent, "scavenger");
    message.body() = std::move(req.body);
    message.prepare_payload();
    return message;
  }

  void release(connection_ptr conn) {
    if (idle.size() >= options.max_idle_connections) return;  // closed by its destructor
    conn->tcp().expires_never();
    idle.push_back(std::move(conn));
  }

  asio::awaitable<send_result> send(request req, std::chrono::milliseconds timeout) {
    // Cancellation is reported as transport_error::cancelled rather than thrown at the next co_await.
    co_await asio::this_coro::throw_if_cancelled(false);
    const auto deadline = steady_clock::now() + timeout;
    auto message = make_message(std::move(req));

    // A server may close an idle keep-alive connection at any time (RFC 9112, section 9.6):
    // pooled connections it closed are dropped before use.
    while (!idle.empty() && !idle_connection_usable(idle.back()->tcp())) idle.pop_back();

    // At most two rounds: a stale pooled connection is replaced once by a fresh one.
    for (int round = 0; round < 2; ++round) {
      connection_ptr conn;
      const bool reused = round == 0 && !idle.empty();
      if (reused) {
        conn = std::move(idle.back());
        idle.pop_back();
      } else {
        auto opened_conn = co_await open_connection(deadline, timeout);
        if (!opened_conn) co_return opened_conn.error();
        conn = std::move(*opened_conn);
      }
      conn->tcp().expires_at(deadline);
      bool keep_alive = false;
      auto exchanging = std::visit([&](auto& stream) { return exchange(stream, *conn, message, keep_alive, timeout); }, conn->stream);
      auto outcome = co_await std::move(exchanging);
      if (outcome) {
        if (keep_alive) release(std::move(conn));
        co_return std::move(*outcome);
      }
      // If the server closed the connection while the request was being written, it never saw
      // the whole request: resending it on a new connection is safe. Once it was written, the
      // server may have acted on it even if no answer came back (RFC 9112, section 9.3.1: a
      // non-idempotent request is not retried automatically): the caller decides, knowing it
      // may have been applied (a DynamoDB conditional delete then settles with a read).
      exchange_failure failed = std::move(outcome).error();
      const bool stale = reused && failed.request_unwritten && failed.failure.kind == transport_error::connection_closed;
      if (!stale) co_return std::move(failed.failure);
    }
    co_return failure(transport_error::connection_closed, "unreachable");  // the loop always returns
  }
};

client::client(asio::any_io_executor executor, url endpoint, client_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(endpoint), std::move(options))) {}

client::~client() = default;

asio::awaitable<send_result> client::send(request req, std::chrono::milliseconds timeout) { return impl_->send(std::move(req), timeout); }

const url& client::endpoint() const noexcept { return impl_->endpoint; }
std::size_t client::connections_opened() const noexcept { return impl_->opened; }
std::size_t client::idle_connections() const noexcept { return impl_->idle.size(); }
void client::close_idle_connections() { impl_->idle.clear(); }

}  // namespace scavenger::http
