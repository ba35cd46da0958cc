#pragma once
// A fault-injecting HTTP proxy in front of a real emulator that speaks DynamoDB's protocol
// (STYLE §8: "a fault-injecting proxy in front of the real emulator for integration tests").
// Point `--endpoint-url` at url(); every request is forwarded to the upstream emulator over
// keep-alive connections unless a hook answers it, and hooks may change the forwarded body or
// act between the upstream's answer and the client's.
//
// Faults come from a declarative fault_plan (kinds with rates and a seed, see set_plan) or from
// hooks for what a plan cannot say. Per call, in this order:
//   plan           -> draws at most one fault for the call; a fault that answers without
//                     forwarding ends the call here (the hooks do not run)
//   before(call)   -> a response: answered by the proxy, not forwarded (a fault; counted)
//   rewrite(call)  -> another body to forward, and a change to apply to the upstream's answer
//                     (the plan's partial_batch takes its place for the calls it picks)
//   forward        -> upstream
//   after(call, upstream response)  -> runs BEFORE the response goes back to the client
//   plan           -> a fault after forwarding: reset, delay, truncate or replace the answer
//
// Thread safety: every public member function may be called from any thread. Hooks run on the
// http_fixture's pool of worker threads, concurrently for concurrent requests: what they share
// must be atomic or locked (chance() is). Set hooks before pointing a client at the proxy; a
// hook set later applies to calls that start after it was set. A hook that throws answers 500.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
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

// The faults a fault_plan injects, each as DynamoDB or the network would produce it. "Not
// forwarded" faults never reach the emulator; "after forward" ones reach it (a delete is
// applied) and then the client does not get the answer: it must treat the request as possibly
// applied (SPEC §4: a conditional delete settles with a consistent GetItem).
enum class fault_kind {
  throughput_exceeded,           // 400 ProvisionedThroughputExceededException, not forwarded
  throttling,                    // 400 ThrottlingException, not forwarded
  request_limit_exceeded,        // 400 RequestLimitExceeded, not forwarded
  internal_error,                // 500 InternalServerError, not forwarded
  service_unavailable,           // 503 ServiceUnavailable, not forwarded
  reset_before_forward,          // the request read, then a TCP reset; not forwarded
  slow_before_forward,           // the request held for slow_delay, then a reset; not forwarded
  reset_after_forward,           // forwarded, then a TCP reset instead of the answer
  slow_after_forward,            // forwarded, the answer held back for slow_delay
  truncated_body,                // forwarded, the answer's body cut short and the connection closed
  internal_error_after_forward,  // forwarded, the answer replaced by a 500: a lost response
  partial_batch,                 // BatchWriteItem of 2+ requests: part forwarded, the rest
                                 // answered in UnprocessedItems (DynamoDB throttled part of it)
};

inline constexpr std::array all_fault_kinds{
    fault_kind::throughput_exceeded, fault_kind::throttling,         fault_kind::request_limit_exceeded,
    fault_kind::internal_error,      fault_kind::service_unavailable, fault_kind::reset_before_forward,
    fault_kind::slow_before_forward, fault_kind::reset_after_forward, fault_kind::slow_after_forward,
    fault_kind::truncated_body,      fault_kind::internal_error_after_forward, fault_kind::partial_batch,
};

std::string_view to_string(fault_kind kind) noexcept;
bool is_throttling(fault_kind kind) noexcept;  // the three 400s DynamoDB throttles with
bool is_slow(fault_kind kind) noexcept;        // slow_before_forward, slow_after_forward
bool is_forwarded(fault_kind kind) noexcept;   // the request reaches the upstream (may be applied)

// What faults to inject, and how often. Each call draws at most one fault: kind k with
// probability rates[k] (the rates add up to at most 1), from a hash of (seed, operation, the
// call's index among that operation's calls), so the Nth DeleteItem of a run gets the same
// fault whenever the plan is replayed with the same seed, whatever the other calls do (which
// request is the Nth can still vary with timing when calls run concurrently).
struct fault_plan {
  std::uint64_t seed = 1;
  std::map<fault_kind, double> rates;
  // Operations that get faults ("DeleteItem", "Scan", …); empty: every operation.
  std::set<std::string, std::less<>> operations;
  // How long slow_* faults hold a call: longer than the client's request time-out.
  std::chrono::milliseconds slow_delay{1000};
  // partial_batch: the share of a batch's DeleteRequests held back (at least one is held back
  // and at least one forwarded).
  double held_back_fraction = 0.5;
};

// "seed 7: reset_after_forward 10%, throttling 5%": for failure messages, so a case replays.
std::string describe(const fault_plan& plan);

class dynamodb_proxy {
 public:
  using before_hook = std::function<std::optional<fixture_response>(const proxied_call&)>;
  using rewrite_hook = std::function<std::optional<rewritten_call>(const proxied_call&)>;
  using after_hook = std::function<void(const proxied_call&, const http::response& upstream)>;

  // Enough handler threads for the scavenger's default readers (8) and deleters (32) at once:
  // a request queued inside the proxy would eat into the client's time-out and show up as a
  // fault nobody injected.
  static constexpr std::size_t default_handler_threads = 48;

  // `seed` seeds chance(): the same seed draws the same sequence, so a failing case replays
  // (with concurrent calls, which call gets which draw can still vary with timing).
  dynamodb_proxy(std::string upstream_url, std::uint64_t seed, std::size_t handler_threads = default_handler_threads);
  ~dynamodb_proxy();  // stops the server (joining its handlers) before the upstream sessions go
  dynamodb_proxy(const dynamodb_proxy&) = delete;
  dynamodb_proxy& operator=(const dynamodb_proxy&) = delete;

  std::string url() const;

  void set_before(before_hook hook);
  void set_rewrite(rewrite_hook hook);
  void set_after(after_hook hook);
  // Replaces the fault plan; calls that start afterwards draw from it.
  void set_plan(fault_plan plan);

  // True with probability `p`, from the seeded generator (locked).
  bool chance(double p);

  // Calls received, by operation (faults and rewritten calls included).
  std::uint64_t calls(std::string_view operation) const;
  // Calls that `before` answered.
  std::uint64_t faults() const;
  std::uint64_t held_back() const;  // the sum of rewritten_call::held_back (the plan's included)

  // Faults the plan injected: of a kind, of a kind on one operation, and in all.
  std::uint64_t injected(fault_kind kind) const;
  std::uint64_t injected(fault_kind kind, std::string_view operation) const;
  std::uint64_t injected() const;
  // Forwarded calls the upstream did not answer (502 to the client): a broken test
  // environment, never a fault of the plan.
  std::uint64_t upstream_failures() const;

  // The calling thread's own upstream session (created on first use; lives as long as the proxy).
  upstream_session& upstream();

 private:
  fixture_response handle(const fixture_request& request);
  std::optional<fault_kind> draw(const fault_plan& plan, const proxied_call& call) const;

  std::string upstream_url_;
  http::url upstream_endpoint_;
  mutable std::mutex mutex_;  // guards everything below but the sessions and the fixture
  before_hook before_;
  rewrite_hook rewrite_;
  after_hook after_;
  std::mt19937_64 random_;
  std::map<std::string, std::uint64_t, std::less<>> calls_;
  std::uint64_t faults_ = 0;
  std::uint64_t held_back_ = 0;
  std::shared_ptr<const fault_plan> plan_;
  std::map<std::pair<fault_kind, std::string>, std::uint64_t, std::less<>> injected_;
  std::uint64_t upstream_failures_ = 0;

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
inline fixture_response request_limit_exceeded() { return dynamodb_error(400, "RequestLimitExceeded", "injected by the test proxy"); }
inline fixture_response service_unavailable() { return dynamodb_error(503, "ServiceUnavailable", "injected by the test proxy"); }

// A rewrite hook for BatchWriteItem: each DeleteRequest is held back with probability
// `fraction` (seeded by `seed`; at least one of a call is forwarded), only the rest is
// forwarded, and the held-back ones are added to the answer's UnprocessedItems, as DynamoDB
// does when it throttles part of a batch. Other operations pass unchanged. Thread-safe.
dynamodb_proxy::rewrite_hook partial_batch(double fraction, std::uint64_t seed);

}  // namespace scavenger::test
