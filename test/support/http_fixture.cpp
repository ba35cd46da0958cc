// The in-process HTTP(S) server of the tests. One io_context thread accepts and serves every
// connection in its own coroutine; handlers run on a small worker pool, so that a handler that
// sleeps to play a slow server holds up only its own connection.

#include "support/http_fixture.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace scavenger::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Test payloads are small; a larger request is a bug in the test.
constexpr std::uint64_t max_request_body = 16ull << 20;

fixture_request to_fixture_request(const bhttp::request<bhttp::string_body>& received) {
  fixture_request out;
  out.method = std::string(received.method_string());
  out.target = std::string(received.target());
  for (const auto& field : received) out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  out.body = received.body();
  return out;
}

}  // namespace

struct http_fixture::impl {
  handler on_request;
  std::optional<asio::ssl::context> tls_context;

  // Fixture thread only: the open connections' sockets, for close_all_connections(). Declared
  // before `io` because the connection coroutines it destroys unregister themselves here.
  std::map<std::uint64_t, tcp::socket*> open_sockets;
  std::uint64_t next_connection_id = 0;

  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::thread_pool workers;
  std::uint16_t port = 0;
  std::atomic<std::size_t> accepted{0};

  mutable std::mutex requests_mutex;
  std::vector<fixture_request> requests;

  std::thread thread;

  impl(handler h, const std::optional<fixture_tls>& tls, std::size_t handler_threads)
      : on_request(std::move(h)), workers(handler_threads) {
    if (tls) {
      tls_context.emplace(asio::ssl::context::tls_server);
      error_code ec;
      tls_context->use_certificate_chain_file(tls->certificate_chain_file, ec);
      if (ec) throw std::runtime_error("http_fixture: cannot load certificate chain '" + tls->certificate_chain_file + "': " + ec.message());
      tls_context->use_private_key_file(tls->private_key_file, asio::ssl::context::pem, ec);
      if (ec) throw std::runtime_error("http_fixture: cannot load private key '" + tls->private_key_file + "': " + ec.message());
    }
    const tcp::endpoint loopback(asio::ip::make_address_v4("127.0.0.1"), 0);  // port 0: the kernel picks a free one
    acceptor.open(loopback.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(loopback);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    asio::co_spawn(io, accept_loop(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~impl() {
    asio::post(io, [this] {
      error_code ignored;
      acceptor.close(ignored);
      close_sockets();
      io.stop();
    });
    thread.join();
    // Handlers still sleeping finish here; their completions are dropped with the io_context.
    workers.join();
  }

  void close_sockets() {
    for (auto& [id, socket] : open_sockets) {
      error_code ignored;
      socket->shutdown(tcp::socket::shutdown_both, ignored);
      socket->close(ignored);
    }
    open_sockets.clear();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(as_result);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;  // e.g. the client reset the connection before it was accepted
      ++accepted;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    const std::uint64_t id = next_connection_id++;
    open_sockets.emplace(id, &stream.socket());
    struct unregister {
      impl* self;
      std::uint64_t id;
      ~unregister() { self->open_sockets.erase(id); }
    } guard{this, id};

    if (!tls_context) {
      co_await serve_requests(stream);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream&> tls(stream, *tls_context);
    const auto [handshake_ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, as_result);
    if (handshake_ec) co_return;
    co_await serve_requests(tls);
  }

  template <class Stream>
  asio::awaitable<void> serve_requests(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(max_request_body);
      const auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, as_result);
      if (read_ec) co_return;
      const auto& received = parser.get();
      fixture_request request = to_fixture_request(received);
      {
        std::lock_guard lock(requests_mutex);
        requests.push_back(request);
      }
      const fixture_response answer = co_await run_handler(std::move(request));
      if (answer.delay.count() > 0) {
        asio::steady_timer wait(stream.get_executor(), answer.delay);
        co_await wait.async_wait(as_result);
      }
      if (answer.ending == fixture_ending::reset) {
        reset(stream);
        co_return;
      }

      bhttp::response<bhttp::string_body> reply{static_cast<bhttp::status>(answer.status), received.version()};
      for (const auto& h : answer.headers) reply.insert(h.name, h.value);
      reply.body() = answer.body;
      reply.prepare_payload();
      const bool keep_alive = received.keep_alive() && !answer.close_connection && answer.ending == fixture_ending::respond;
      reply.keep_alive(keep_alive);
      if (answer.ending == fixture_ending::truncate) {
        co_await send_truncated(stream, reply);
        co_return;
      }
      if (received.method() == bhttp::verb::head) {
        // The head announces the body's length, but the body is not sent (RFC 9110, section 9.3.2).
        bhttp::response_serializer<bhttp::string_body> head_only(reply);
        const auto [write_ec, written] = co_await bhttp::async_write_header(stream, head_only, as_result);
        if (write_ec || !keep_alive) co_return;
        continue;
      }
      const auto [write_ec, written] = co_await bhttp::async_write(stream, reply, as_result);
      if (write_ec || !keep_alive) co_return;
    }
  }

  // A TCP RST instead of an answer: with SO_LINGER on and a zero time-out, close() discards
  // what is unsent and resets the connection (the client's read fails with ECONNRESET).
  template <class Stream>
  static void reset(Stream& stream) {
    auto& socket = beast::get_lowest_layer(stream).socket();
    error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }

  // The head with the whole body's Content-Length, then only part of the body, then the end
  // of the connection: the client sees the body end early.
  template <class Stream>
  static asio::awaitable<void> send_truncated(Stream& stream, bhttp::response<bhttp::string_body>& reply) {
    bhttp::response_serializer<bhttp::string_body> head_only(reply);
    const auto [head_ec, head_written] = co_await bhttp::async_write_header(stream, head_only, as_result);
    if (head_ec) co_return;
    const auto& body = reply.body();
    const std::size_t part = body.empty() ? 0 : (body.size() - 1) / 2;  // always short of the whole
    if (part > 0) {
      const auto [body_ec, body_written] = co_await asio::async_write(stream, asio::buffer(body.data(), part), as_result);
      if (body_ec) co_return;
    }
    auto& socket = beast::get_lowest_layer(stream).socket();
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);  // a FIN, not a reset: the bytes sent arrive
    socket.close(ignored);
  }

  // Runs the handler on a worker and resumes on the fixture thread (co_spawn delivers the
  // completion through the awaiting coroutine's executor). A throwing handler answers 500.
  asio::awaitable<fixture_response> run_handler(fixture_request request) {
    auto call = [](const handler* h, fixture_request r) -> asio::awaitable<fixture_response> {
      try {
        co_return (*h)(r);
      } catch (const std::exception& e) {
        co_return fixture_response{500, {}, std::string("http_fixture: handler threw: ") + e.what(), true};
      }
    };
    auto answer = co_await asio::co_spawn(workers, call(&on_request, std::move(request)), asio::use_awaitable);
    co_return answer;
  }
};

http_fixture::http_fixture(handler on_request, std::optional<fixture_tls> tls, std::size_t handler_threads)
    : impl_(std::make_unique<impl>(std::move(on_request), tls, handler_threads)) {}

http_fixture::~http_fixture() = default;

std::uint16_t http_fixture::port() const noexcept { return impl_->port; }

std::string http_fixture::url() const { return std::string(impl_->tls_context ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port); }

std::size_t http_fixture::connections_accepted() const noexcept { return impl_->accepted.load(); }

std::vector<fixture_request> http_fixture::requests() const {
  std::lock_guard lock(impl_->requests_mutex);
  return impl_->requests;
}

void http_fixture::close_all_connections() {
  // The sockets belong to the fixture thread; wait until it has closed them so that the test
  // sees them closed when this returns.
  std::promise<void> closed;
  asio::post(impl_->io, [this, &closed] {
    impl_->close_sockets();
    closed.set_value();
  });
  closed.get_future().wait();
}

// ---- Test certificates ----

namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path);
  out << content;
  if (!out) throw std::runtime_error("make_test_certificates: cannot write " + path.string());
}

// Runs an openssl command, its output into `log`; throws with the log on failure.
void run_openssl(const std::string& arguments, const std::filesystem::path& log) {
  const std::string command = "openssl " + arguments + " >" + shell_quote(log.string()) + " 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::ifstream in(log);
    std::stringstream output;
    output << in.rdbuf();
    throw std::runtime_error("make_test_certificates: '" + command + "' failed: " + output.str());
  }
}

// Our own configuration files, so that the system openssl.cnf (or OPENSSL_CONF) cannot change
// the certificates. EC P-256 keys: key generation is instant, unlike RSA.
constexpr const char* ca_config = R"([req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
CN = scavenger test CA
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
)";

constexpr const char* key_options = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

}  // namespace

fixture_tls test_certificates::leaf(const std::string& name) const {
  const std::filesystem::path dir(directory);
  return {(dir / (name + ".pem")).string(), (dir / (name + ".key")).string()};
}

test_certificates make_test_certificates(const std::string& directory, const std::vector<std::pair<std::string, std::string>>& leaves_name_and_san) {
  namespace fs = std::filesystem;
  const fs::path dir(directory);
  fs::create_directories(dir);
  const fs::path log = dir / "openssl.log";
  const auto q = [](const fs::path& p) { return shell_quote(p.string()); };

  write_file(dir / "ca.cnf", ca_config);
  run_openssl("req -x509 -config " + q(dir / "ca.cnf") + " " + key_options + " -keyout " + q(dir / "ca.key") + " -out " + q(dir / "ca.pem") + " -days 3650",
              log);

  for (const auto& [name, san] : leaves_name_and_san) {
    write_file(dir / (name + ".cnf"), "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = " + name + "\n");
    write_file(dir / (name + ".ext"), "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n"
                                      "subjectAltName = " + san + "\n");
    run_openssl("req -new -config " + q(dir / (name + ".cnf")) + " " + key_options + " -keyout " + q(dir / (name + ".key")) + " -out " +
                    q(dir / (name + ".csr")),
                log);
    run_openssl("x509 -req -in " + q(dir / (name + ".csr")) + " -CA " + q(dir / "ca.pem") + " -CAkey " + q(dir / "ca.key") + " -CAserial " +
                    q(dir / "ca.srl") + " -CAcreateserial -days 365 -sha256 -extfile " + q(dir / (name + ".ext")) + " -out " + q(dir / (name + ".pem")),
                log);
  }
  return {directory, (dir / "ca.pem").string()};
}

}  // namespace scavenger::test
