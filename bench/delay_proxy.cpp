// scavenger_delay_proxy: a TCP proxy that adds a round-trip delay between a client and an
// endpoint on loopback, so the benchmark harness (bench/harness) can show what a run looks like
// behind a real regional endpoint's latency. The machines the harness runs on have no netem
// qdisc, so the delay is added here, in user space.
//
//   scavenger_delay_proxy --upstream 127.0.0.1:8000 --delay-ms 5 [--listen-port 0]
//
// Prints "listening 127.0.0.1:PORT" on stdout once it accepts connections; on SIGINT/SIGTERM
// (or when its parent dies: PR_SET_PDEATHSIG) it prints one JSON line of totals and exits.
//
// Each direction of each connection is a timestamped queue: the bytes a read returns are due
// delay/2 after they arrived and are written in arrival order once due, so every request gets
// +delay/2 on its way in and every response +delay/2 on its way back: a round trip gets +delay.
// Connection set-up itself is not delayed (keep-alive clients pay it once). The queue is bounded
// (back-pressure: a full queue stops reading from that side), so memory stays small. At 0 ms the
// bytes are written as soon as they are read: the harness measures that ceiling side by side
// with a direct connection.

#include <sys/prctl.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t read_chunk_bytes = 64 * 1024;
constexpr std::size_t queue_chunks = 64;  // per direction: at most 4 MB held back

struct options {
  std::string upstream;  // host:port, numeric
  double delay_ms = 0;
  unsigned short listen_port = 0;
};

struct totals {
  std::uint64_t connections = 0;
  std::uint64_t failed_connects = 0;
  std::uint64_t bytes_to_upstream = 0;
  std::uint64_t bytes_to_client = 0;
};

// Bytes read from one side, due for writing to the other at `due`. Empty bytes: end of stream.
struct chunk {
  clock_type::time_point due;
  std::vector<char> bytes;
};
using chunk_queue = asio::experimental::channel<void(error_code, chunk)>;

// Reads from `from` until end of stream or error, queueing each read with its due time; always
// ends by queueing an end-of-stream chunk (unless the queue was closed by the writer's failure).
asio::awaitable<void> read_side(tcp::socket& from, chunk_queue& queue, clock_type::duration half_delay,
                                std::uint64_t& byte_count) {
  for (;;) {
    std::vector<char> buffer(read_chunk_bytes);
    auto [read_error, n] = co_await from.async_read_some(asio::buffer(buffer), use_tuple);
    chunk next;
    next.due = clock_type::now() + half_delay;
    if (!read_error) {
      buffer.resize(n);
      next.bytes = std::move(buffer);
      byte_count += n;
    }
    const bool end = next.bytes.empty();
    auto [send_error] = co_await queue.async_send(error_code{}, std::move(next), use_tuple);
    if (send_error || end) co_return;
  }
}

// Writes the queued chunks to `to`, each once it is due; at end of stream half-closes `to`.
// On a write error it closes both sockets and the queue, so the other three sides end too.
asio::awaitable<void> write_side(tcp::socket& to, tcp::socket& other, chunk_queue& queue) {
  asio::steady_timer timer(to.get_executor());
  for (;;) {
    auto [receive_error, next] = co_await queue.async_receive(use_tuple);
    if (receive_error) co_return;
    if (next.bytes.empty()) {
      if (next.due > clock_type::now()) {
        timer.expires_at(next.due);
        co_await timer.async_wait(use_tuple);
      }
      error_code ignored;
      to.shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
    if (next.due > clock_type::now()) {
      timer.expires_at(next.due);
      co_await timer.async_wait(use_tuple);
    }
    auto [write_error, written] = co_await asio::async_write(to, asio::buffer(next.bytes), use_tuple);
    if (write_error) {
      error_code ignored;
      to.close(ignored);
      other.close(ignored);
      queue.close();
      co_return;
    }
  }
}

asio::awaitable<void> relay(tcp::socket client, tcp::endpoint upstream, clock_type::duration half_delay,
                            totals& counts) {
  using namespace asio::experimental::awaitable_operators;
  auto executor = co_await asio::this_coro::executor;
  tcp::socket server(executor);
  auto [connect_error] = co_await server.async_connect(upstream, use_tuple);
  if (connect_error) {
    ++counts.failed_connects;
    co_return;  // the client sees its connection closed, as with an endpoint that refuses
  }
  ++counts.connections;
  error_code ignored;
  client.set_option(tcp::no_delay(true), ignored);
  server.set_option(tcp::no_delay(true), ignored);
  chunk_queue to_server(executor, queue_chunks);
  chunk_queue to_client(executor, queue_chunks);
  co_await (read_side(client, to_server, half_delay, counts.bytes_to_upstream) &&
            write_side(server, client, to_server) &&
            read_side(server, to_client, half_delay, counts.bytes_to_client) &&
            write_side(client, server, to_client));
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, tcp::endpoint upstream, clock_type::duration half_delay,
                                  totals& counts) {
  for (;;) {
    auto [accept_error, client] = co_await acceptor.async_accept(use_tuple);
    if (accept_error) {
      if (accept_error == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    asio::co_spawn(acceptor.get_executor(), relay(std::move(client), upstream, half_delay, counts), asio::detached);
  }
}

tcp::endpoint parse_endpoint(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos) throw CLI::ValidationError("--upstream", "expected HOST:PORT, got " + host_port);
  const auto address = asio::ip::make_address(host_port.substr(0, colon));
  return {address, static_cast<unsigned short>(std::stoul(host_port.substr(colon + 1)))};
}

}  // namespace

int main(int argc, char** argv) {
  options opts;
  CLI::App app{"TCP proxy that adds a round-trip delay (half each way) between client and endpoint"};
  app.add_option("--upstream", opts.upstream, "endpoint to forward to, numeric HOST:PORT")->required();
  app.add_option("--delay-ms", opts.delay_ms, "added round-trip delay in milliseconds (half each way)")
      ->check(CLI::Range(0.0, 10000.0));
  app.add_option("--listen-port", opts.listen_port, "port on 127.0.0.1 (0: any free port)");
  CLI11_PARSE(app, argc, argv);

  // A harness killed with SIGKILL must not leave its proxy behind.
  prctl(PR_SET_PDEATHSIG, SIGTERM);

  try {
    const auto upstream = parse_endpoint(opts.upstream);
    const auto half_delay = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double, std::milli>(opts.delay_ms / 2));
    asio::io_context io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), opts.listen_port));
    totals counts;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const error_code&, int) { io.stop(); });
    asio::co_spawn(io, accept_loop(acceptor, upstream, half_delay, counts), asio::detached);
    std::printf("listening 127.0.0.1:%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    io.run();
    std::printf("{\"connections\":%llu,\"failed_connects\":%llu,\"bytes_to_upstream\":%llu,\"bytes_to_client\":%llu}\n",
                static_cast<unsigned long long>(counts.connections),
                static_cast<unsigned long long>(counts.failed_connects),
                static_cast<unsigned long long>(counts.bytes_to_upstream),
                static_cast<unsigned long long>(counts.bytes_to_client));
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "scavenger_delay_proxy: %s\n", error.what());
    return 1;
  }
}
