#pragma once
// A fault-injecting HTTP proxy in front of a real emulator that speaks DynamoDB's protocol
// (STYLE §8: "a fault-injecting proxy in front of the real emulator for integration tests").
// Point `--endpoint-url` at url(); every request is forwarded to the upstream emulator over
// keep-alive connections unless a hook answers it, and hooks may change the forwarded body or
// act between the upstream's answer and the client's.
//
// Per call, in this order:
//   before(call)   -> a response: answered by the proxy, not forwarded (a fault; counted)
//   rewrite(call)  -> another body to forward, and a change to apply to the upstream's answer
//   forward        -> upstream
//   after(call, upstream response)  -> runs BEFORE the response goes back to the client
//
// Thread safety: every public member function may be called from any thread. Hooks run on the
// http_fixture's pool of worker threads, concurrently for concurrent requests: what they share
// must be atomic or locked (chance() is). Set hooks before pointing a client at the proxy; a
// hook set later applies to calls that start after it was set. A hook that throws answers 500.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "dynamodb/client.hpp"
#include "http/client.hpp"
#include "support/http_fixture.hpp"

namespace scavenger::test {

// One request as the proxy received it.
struct proxied_call {
  std::string operation;       // X-Amz-Target without "DynamoDB_20120810." ("Scan"); "" if absent
  std::uint64_t index = 0;     // 0 for the first call of this operation, 1 for the next, …
  const fixture_request& request;
};

// What a rewrite hook forwards instead of the client's request.
struct rewritten_call {
  std::string body;  // sent upstream in place of the client's body
  // Applied to the upstream's answer before it goes back (may be empty).
  std::function<void(http::response&)> fix_response;
  std::uint64_t held_back = 0;  // requests of a batch not forwarded (added to held_back())
};

// A thread's own synchronous connection to the upstream, for hooks that write to the table
// (e.g. change an item right after the Scan that returned it): run(io, client->put_item(...)).
struct upstream_session {
  boost::asio::io_context io;
  std::unique_ptr<http::client> http;         // the proxy's forwarding connection pool
  std::unique_ptr<dynamodb::client> dynamodb;  // a signed DynamoDB client, test credentials
};

class dynamodb_proxy {
 public:
  using before_hook = std::function<std::optional<fixture_response>(const proxied_call&)>;
  using rewrite_hook = std::function<std::optional<rewritten_call>(const proxied_call&)>;
  using after_hook = std::function<void(const proxied_call&, const http::response& upstream)>;

  // `seed` seeds chance(): the same seed draws the same sequence, so a failing case replays
  // (with concurrent calls, which call gets which draw can still vary with timing).
  dynamodb_proxy(std::string upstream_url, std::uint64_t seed);
  ~dynamodb_proxy();  // stops the server (joining its handlers) before the upstream sessions go
  dynamodb_proxy(const dynamodb_proxy&) = delete;
  dynamodb_proxy& operator=(const dynamodb_proxy&) = delete;

  std::string url() const;

  void set_before(before_hook hook);
  void set_rewrite(rewrite_hook hook);
  void set_after(after_hook hook);

  // True with probability `p`, from the seeded generator (locked).
  bool chance(double p);

  // Calls received, by operation (faults and rewritten calls included).
  std::uint64_t calls(std::string_view operation) const;
  // Calls that `before` answered, by operation, and by the answer's DynamoDB error type
  // ("ProvisionedThroughputExceededException", "InternalServerError"; "HTTP 503" when the body
  // is not a DynamoDB error).
  std::uint64_t faults(std::string_view operation) const;
  std::uint64_t faults_of_type(std::string_view error_type) const;
  std::uint64_t faults() const;
  std::uint64_t held_back() const;  // the sum of rewritten_call::held_back

  // The calling thread's own upstream session (created on first use; lives as long as the proxy).
  upstream_session& upstream();

 private:
  fixture_response handle(const fixture_request& request);

  std::string upstream_url_;
  http::url upstream_endpoint_;
  mutable std::mutex mutex_;  // guards everything below but the sessions and the fixture
  before_hook before_;
  rewrite_hook rewrite_;
  after_hook after_;
  std::mt19937_64 random_;
  std::map<std::string, std::uint64_t, std::less<>> calls_;
  std::map<std::string, std::uint64_t, std::less<>> faults_;
  std::map<std::string, std::uint64_t, std::less<>> fault_types_;
  std::uint64_t held_back_ = 0;

  std::mutex sessions_mutex_;
  std::map<std::thread::id, std::unique_ptr<upstream_session>> sessions_;

  std::unique_ptr<http_fixture> server_;  // last: destroyed first, while the sessions still exist
};

// DynamoDB-shaped error answers for `before` hooks.
fixture_response dynamodb_error(unsigned status, std::string_view type, std::string_view message);
inline fixture_response throughput_exceeded() {
  return dynamodb_error(400, "ProvisionedThroughputExceededException", "injected by the test proxy");
}
inline fixture_response throttling_exception() { return dynamodb_error(400, "ThrottlingException", "injected by the test proxy"); }
inline fixture_response internal_server_error() { return dynamodb_error(500, "InternalServerError", "injected by the test proxy"); }

// A rewrite hook for BatchWriteItem: each DeleteRequest is held back with probability
// `fraction` (seeded by `seed`; at least one of a call is forwarded), only the rest is
// forwarded, and the held-back ones are added to the answer's UnprocessedItems, as DynamoDB
// does when it throttles part of a batch. Other operations pass unchanged. Thread-safe.
dynamodb_proxy::rewrite_hook partial_batch(double fraction, std::uint64_t seed);

}  // namespace scavenger::test
