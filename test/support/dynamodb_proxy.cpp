// The fault-injecting DynamoDB proxy of the integration tests: an http_fixture whose handler
// forwards each request synchronously, on the worker thread's own upstream session. Faults
// that need time or the connection (delays, resets, truncation) are carried out by the
// fixture after the handler returns, so a slow call holds no handler thread.

#include "support/dynamodb_proxy.hpp"

#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

#include "dynamodb/json_writer.hpp"
#include "dynamodb/protocol.hpp"
#include "support/dynamodb_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::test {
namespace {

// Longer than any emulator call; a hung upstream fails the call rather than the whole test.
constexpr std::chrono::seconds upstream_timeout{30};

bool is_hop_by_hop_or_length(std::string_view name) {
  auto equals = [&](std::string_view other) {
    if (name.size() != other.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(name[i])) != other[i]) return false;
    }
    return true;
  };
  // The fixture and the client set these themselves; Host must name the upstream. x-amz-crc32
  // would no longer match a body a rewrite changed.
  return equals("content-length") || equals("connection") || equals("transfer-encoding") || equals("keep-alive") ||
         equals("host") || equals("x-amz-crc32");
}

std::string operation_of(const fixture_request& request) {
  const auto target = request.header_value("X-Amz-Target");
  if (!target) return {};
  std::string_view value = *target;
  if (value.starts_with(dynamodb::protocol::target_prefix)) value.remove_prefix(dynamodb::protocol::target_prefix.size());
  return std::string(value);
}

// SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit value.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t hash_of(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// A number in [0, 1) that depends only on its arguments: the plan's draws replay.
double uniform_draw(std::uint64_t seed, std::string_view stream, std::uint64_t index, std::uint64_t position = 0) noexcept {
  const std::uint64_t h = mix(mix(mix(seed ^ hash_of(stream)) ^ index) ^ position);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

}  // namespace

std::string_view to_string(fault_kind kind) noexcept {
  switch (kind) {
    case fault_kind::throughput_exceeded: return "throughput_exceeded";
    case fault_kind::throttling: return "throttling";
    case fault_kind::request_limit_exceeded: return "request_limit_exceeded";
    case fault_kind::internal_error: return "internal_error";
    case fault_kind::service_unavailable: return "service_unavailable";
    case fault_kind::reset_before_forward: return "reset_before_forward";
    case fault_kind::slow_before_forward: return "slow_before_forward";
    case fault_kind::reset_after_forward: return "reset_after_forward";
    case fault_kind::slow_after_forward: return "slow_after_forward";
    case fault_kind::truncated_body: return "truncated_body";
    case fault_kind::internal_error_after_forward: return "internal_error_after_forward";
    case fault_kind::partial_batch: return "partial_batch";
  }
  return "unknown";
}

bool is_throttling(fault_kind kind) noexcept {
  return kind == fault_kind::throughput_exceeded || kind == fault_kind::throttling || kind == fault_kind::request_limit_exceeded;
}

bool is_slow(fault_kind kind) noexcept { return kind == fault_kind::slow_before_forward || kind == fault_kind::slow_after_forward; }

bool is_forwarded(fault_kind kind) noexcept {
  return kind == fault_kind::reset_after_forward || kind == fault_kind::slow_after_forward || kind == fault_kind::truncated_body ||
         kind == fault_kind::internal_error_after_forward || kind == fault_kind::partial_batch;
}

std::string describe(const fault_plan& plan) {
  std::string text = "fault plan seed " + std::to_string(plan.seed) + ":";
  bool first = true;
  for (const auto& [kind, rate] : plan.rates) {
    char percent[32];
    std::snprintf(percent, sizeof percent, " %.1f%%", rate * 100);
    text += std::string(first ? " " : ", ") + std::string(to_string(kind)) + percent;
    first = false;
  }
  if (!plan.operations.empty()) {
    text += " of";
    for (const auto& operation : plan.operations) text += " " + operation;
  }
  return text + " (replay: SCAVENGER_FAULT_SEED=" + std::to_string(plan.seed) + ")";
}

fixture_response dynamodb_error(unsigned status, std::string_view type, std::string_view message) {
  dynamodb::json_writer body;
  body.begin_object();
  body.member("__type", "com.amazonaws.dynamodb.v20120810#" + std::string(type));
  body.member("message", message);
  body.end_object();
  return {status, {{"Content-Type", std::string(dynamodb::protocol::content_type)}}, std::move(body).str(), false};
}

dynamodb_proxy::dynamodb_proxy(std::string upstream_url, std::uint64_t seed, std::size_t handler_threads)
    : upstream_url_(std::move(upstream_url)), random_(seed) {
  auto endpoint = http::parse_url(upstream_url_);
  if (!endpoint) throw std::invalid_argument("dynamodb_proxy: bad upstream URL " + upstream_url_ + ": " + endpoint.error());
  upstream_endpoint_ = std::move(*endpoint);
  server_ = std::make_unique<http_fixture>([this](const fixture_request& request) { return handle(request); }, std::nullopt,
                                           handler_threads);
}

dynamodb_proxy::~dynamodb_proxy() { server_.reset(); }

std::string dynamodb_proxy::url() const { return server_->url(); }

void dynamodb_proxy::set_before(before_hook hook) {
  std::lock_guard lock(mutex_);
  before_ = std::move(hook);
}

void dynamodb_proxy::set_rewrite(rewrite_hook hook) {
  std::lock_guard lock(mutex_);
  rewrite_ = std::move(hook);
}

void dynamodb_proxy::set_after(after_hook hook) {
  std::lock_guard lock(mutex_);
  after_ = std::move(hook);
}

void dynamodb_proxy::set_plan(fault_plan plan) {
  double total = 0;
  for (const auto& [kind, rate] : plan.rates) {
    if (rate < 0 || rate > 1) throw std::invalid_argument("fault_plan: the rate of " + std::string(to_string(kind)) + " is not in [0, 1]");
    total += rate;
  }
  if (total > 1 + 1e-9) throw std::invalid_argument("fault_plan: the rates add up to more than 1");
  if (plan.held_back_fraction <= 0 || plan.held_back_fraction >= 1) throw std::invalid_argument("fault_plan: held_back_fraction is not in (0, 1)");
  auto shared = std::make_shared<const fault_plan>(std::move(plan));
  std::lock_guard lock(mutex_);
  plan_ = std::move(shared);
}

bool dynamodb_proxy::chance(double p) {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < p;
}

std::uint64_t dynamodb_proxy::calls(std::string_view operation) const {
  std::lock_guard lock(mutex_);
  const auto found = calls_.find(operation);
  return found == calls_.end() ? 0 : found->second;
}

std::uint64_t dynamodb_proxy::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::uint64_t dynamodb_proxy::held_back() const {
  std::lock_guard lock(mutex_);
  return held_back_;
}

std::uint64_t dynamodb_proxy::injected(fault_kind kind) const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [key, count] : injected_) total += key.first == kind ? count : 0;
  return total;
}

std::uint64_t dynamodb_proxy::injected(fault_kind kind, std::string_view operation) const {
  std::lock_guard lock(mutex_);
  const auto found = injected_.find(std::make_pair(kind, std::string(operation)));
  return found == injected_.end() ? 0 : found->second;
}

std::uint64_t dynamodb_proxy::injected() const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [key, count] : injected_) total += count;
  return total;
}

std::uint64_t dynamodb_proxy::upstream_failures() const {
  std::lock_guard lock(mutex_);
  return upstream_failures_;
}

upstream_session& dynamodb_proxy::upstream() {
  std::lock_guard lock(sessions_mutex_);
  auto& session = sessions_[std::this_thread::get_id()];
  if (!session) {
    session = std::make_unique<upstream_session>();
    session->http = std::make_unique<http::client>(session->io.get_executor(), upstream_endpoint_);
    session->dynamodb = std::make_unique<dynamodb::client>(session->io.get_executor(), client_config_for(upstream_url_), static_credentials());
  }
  return *session;
}

std::optional<fault_kind> dynamodb_proxy::draw(const fault_plan& plan, const proxied_call& call) const {
  if (!plan.operations.empty() && !plan.operations.contains(call.operation)) return std::nullopt;
  const double drawn = uniform_draw(plan.seed, call.operation, call.index);
  double bound = 0;
  for (const auto& [kind, rate] : plan.rates) {
    bound += rate;
    if (drawn < bound) {
      // A partial batch needs a batch: any other operation's share of the draw is no fault.
      if (kind == fault_kind::partial_batch && call.operation != "BatchWriteItem") return std::nullopt;
      return kind;
    }
  }
  return std::nullopt;
}

namespace {

// The plan's faults that answer without forwarding.
std::optional<fixture_response> unforwarded_answer(fault_kind kind, const fault_plan& plan) {
  switch (kind) {
    case fault_kind::throughput_exceeded: return throughput_exceeded();
    case fault_kind::throttling: return throttling_exception();
    case fault_kind::request_limit_exceeded: return request_limit_exceeded();
    case fault_kind::internal_error: return internal_server_error();
    case fault_kind::service_unavailable: return service_unavailable();
    case fault_kind::reset_before_forward: {
      fixture_response reset;
      reset.ending = fixture_ending::reset;
      return reset;
    }
    case fault_kind::slow_before_forward: {
      // The client gives up first; the reset then only ends the connection on our side.
      fixture_response stalled;
      stalled.delay = plan.slow_delay;
      stalled.ending = fixture_ending::reset;
      return stalled;
    }
    default: return std::nullopt;
  }
}

// The plan's faults that spoil the upstream's answer to a forwarded call.
void spoil(fault_kind kind, const fault_plan& plan, fixture_response& reply) {
  switch (kind) {
    case fault_kind::reset_after_forward: reply.ending = fixture_ending::reset; break;
    case fault_kind::slow_after_forward: reply.delay = plan.slow_delay; break;
    case fault_kind::truncated_body:
      if (reply.body.empty()) reply.body = "{}";  // DynamoDB always answers JSON; make sure there is a body to cut
      reply.ending = fixture_ending::truncate;
      break;
    case fault_kind::internal_error_after_forward: reply = internal_server_error(); break;
    default: break;
  }
}

std::optional<rewritten_call> split_batch(const proxied_call& call, const std::function<std::vector<bool>(std::size_t)>& choose_held);

}  // namespace

fixture_response dynamodb_proxy::handle(const fixture_request& request) {
  before_hook before;
  rewrite_hook rewrite;
  after_hook after;
  std::shared_ptr<const fault_plan> plan;
  proxied_call call{operation_of(request), 0, request};
  {
    std::lock_guard lock(mutex_);
    before = before_;
    rewrite = rewrite_;
    after = after_;
    plan = plan_;
    call.index = calls_[call.operation]++;
  }

  std::optional<fault_kind> fault;
  std::optional<rewritten_call> rewritten;
  if (plan) fault = draw(*plan, call);
  if (fault == fault_kind::partial_batch) {
    const auto seed = plan->seed;
    const auto fraction = plan->held_back_fraction;
    const auto index = call.index;
    rewritten = split_batch(call, [&](std::size_t count) {
      std::vector<bool> held(count, false);
      if (count < 2) return held;  // one request cannot be split: no fault
      std::size_t holding = 0;
      for (std::size_t i = 0; i < count; ++i) {
        held[i] = uniform_draw(seed, "partial_batch", index, i + 1) < fraction;
        if (held[i]) ++holding;
      }
      if (holding == 0) held[0] = true;                // at least one held back,
      if (holding == count) held[count - 1] = false;   // and at least one forwarded
      return held;
    });
    if (!rewritten || rewritten->held_back == 0) {  // nothing to split: no fault
      fault.reset();
      rewritten.reset();
    }
  }
  auto count_fault = [&] {
    std::lock_guard lock(mutex_);
    ++injected_[std::make_pair(*fault, call.operation)];
  };

  if (fault) {
    if (auto answer = unforwarded_answer(*fault, *plan)) {
      count_fault();
      return std::move(*answer);
    }
  }

  if (before) {
    if (auto answer = before(call)) {
      std::lock_guard lock(mutex_);
      ++faults_;
      return std::move(*answer);
    }
  }

  http::request forwarded;
  forwarded.method = request.method;
  forwarded.target = request.target;
  for (const auto& header : request.headers) {
    if (!is_hop_by_hop_or_length(header.name)) forwarded.headers.push_back(header);
  }
  forwarded.body = request.body;
  if (!rewritten && rewrite) rewritten = rewrite(call);
  if (rewritten) {
    forwarded.body = rewritten->body;  // the signature no longer matches; the emulators check none
    std::lock_guard lock(mutex_);
    held_back_ += rewritten->held_back;
  }

  auto& session = upstream();
  auto sent = run(session.io, session.http->send(std::move(forwarded), upstream_timeout));
  if (!sent) {
    // The upstream is local and up: a transport failure here is a broken test environment.
    std::lock_guard lock(mutex_);
    ++upstream_failures_;
    return {502, {}, "dynamodb_proxy: upstream failed: " + sent.error().detail, true};
  }
  http::response answer = std::move(*sent);
  if (rewritten && rewritten->fix_response) rewritten->fix_response(answer);
  if (after) after(call, answer);

  fixture_response reply;
  reply.status = answer.status;
  for (auto& header : answer.headers) {
    if (!is_hop_by_hop_or_length(header.name)) reply.headers.push_back(std::move(header));
  }
  reply.body = std::move(answer.body);
  if (fault) {
    spoil(*fault, *plan, reply);
    count_fault();
  }
  return reply;
}

// ---- partial batches ----

namespace {

std::string minified(simdjson::dom::element element) { return simdjson::to_string(element); }

// {"RequestItems":{table:[requests]}, other members as received}, requests given as raw JSON.
std::string batch_body(simdjson::dom::object root, const std::map<std::string, std::vector<std::string>>& requests_by_table,
                       std::string_view items_member) {
  dynamodb::json_writer out;
  out.begin_object();
  out.key(items_member).begin_object();
  for (const auto& [table, requests] : requests_by_table) {
    if (requests.empty()) continue;
    out.key(table).begin_array();
    for (const auto& request : requests) out.raw(request);
    out.end_array();
  }
  out.end_object();
  for (const auto field : root) {
    if (field.key != items_member) out.member_raw(field.key, minified(field.value));
  }
  out.end_object();
  return std::move(out).str();
}

// Splits a BatchWriteItem: the DeleteRequests `choose_held` marks (given how many there are,
// in the order of the body) are held back, the rest forwarded, and the held-back ones are added
// to the answer's UnprocessedItems, as DynamoDB does when it throttles part of a batch. Other
// operations pass unchanged (nullopt).
std::optional<rewritten_call> split_batch(const proxied_call& call, const std::function<std::vector<bool>(std::size_t)>& choose_held) {
  if (call.operation != "BatchWriteItem") return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(call.request.body).get(root)) throw std::runtime_error("partial batch: the request body is not JSON");
  simdjson::dom::object items;
  if (root["RequestItems"].get(items)) throw std::runtime_error("partial batch: no RequestItems");

  std::size_t deletes = 0;
  for (const auto table : items) {
    for (const auto request : table.value.get_array()) {
      if (!request["DeleteRequest"].error()) ++deletes;
    }
  }
  const auto held_mask = choose_held(deletes);

  std::map<std::string, std::vector<std::string>> forwarded, held;
  std::size_t forwarded_count = 0;
  std::size_t position = 0;
  for (const auto table : items) {
    auto& to_forward = forwarded[std::string(table.key)];
    auto& to_hold = held[std::string(table.key)];
    for (const auto request : table.value.get_array()) {
      const bool is_delete = !request["DeleteRequest"].error();
      if (is_delete && held_mask.at(position++)) {
        to_hold.push_back(minified(request));
      } else {
        to_forward.push_back(minified(request));
        ++forwarded_count;
      }
    }
  }
  // BatchWriteItem needs at least one request: forward one held back if none is left.
  if (forwarded_count == 0) {
    for (auto& [table, requests] : held) {
      if (requests.empty()) continue;
      forwarded[table].push_back(std::move(requests.back()));
      requests.pop_back();
      break;
    }
  }
  rewritten_call rewritten;
  rewritten.body = batch_body(root, forwarded, "RequestItems");
  for (const auto& [table, requests] : held) rewritten.held_back += requests.size();
  if (rewritten.held_back == 0) return rewritten;

  rewritten.fix_response = [held = std::move(held)](http::response& answer) {
    if (answer.status != 200) return;  // an error answer stays as it is: the client resends all
    simdjson::dom::parser response_parser;
    simdjson::dom::object response_root;
    if (response_parser.parse(answer.body).get(response_root)) throw std::runtime_error("partial batch: the upstream's answer is not JSON");
    auto unprocessed = held;
    simdjson::dom::object upstream_unprocessed;
    if (!response_root["UnprocessedItems"].get(upstream_unprocessed)) {
      for (const auto table : upstream_unprocessed) {
        auto& requests = unprocessed[std::string(table.key)];
        for (const auto request : table.value.get_array()) requests.push_back(minified(request));
      }
    }
    answer.body = batch_body(response_root, unprocessed, "UnprocessedItems");
  };
  return rewritten;
}

struct partial_batch_state {
  double fraction;
  std::mutex mutex;
  std::mt19937_64 random;
};

}  // namespace

dynamodb_proxy::rewrite_hook partial_batch(double fraction, std::uint64_t seed) {
  auto state = std::make_shared<partial_batch_state>();
  state->fraction = fraction;
  state->random.seed(seed);
  return [state](const proxied_call& call) -> std::optional<rewritten_call> {
    return split_batch(call, [&state](std::size_t count) {
      std::vector<bool> held(count, false);
      std::lock_guard lock(state->mutex);
      for (std::size_t i = 0; i < count; ++i) held[i] = std::uniform_real_distribution<double>(0.0, 1.0)(state->random) < state->fraction;
      return held;
    });
  };
}

}  // namespace scavenger::test
