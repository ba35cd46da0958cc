// The fault-injecting DynamoDB proxy of the integration tests: an http_fixture whose handler
// forwards each request synchronously, on the worker thread's own upstream session.

#include "support/dynamodb_proxy.hpp"

#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <utility>
#include <vector>

#include "dynamodb/error.hpp"
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

std::string error_type_of(const fixture_response& answer) {
  http::response as_http{answer.status, answer.headers, answer.body};
  return dynamodb::parse_api_error(as_http).type;
}

}  // namespace

fixture_response dynamodb_error(unsigned status, std::string_view type, std::string_view message) {
  dynamodb::json_writer body;
  body.begin_object();
  body.member("__type", "com.amazonaws.dynamodb.v20120810#" + std::string(type));
  body.member("message", message);
  body.end_object();
  return {status, {{"Content-Type", std::string(dynamodb::protocol::content_type)}}, std::move(body).str(), false};
}

dynamodb_proxy::dynamodb_proxy(std::string upstream_url, std::uint64_t seed)
    : upstream_url_(std::move(upstream_url)), random_(seed) {
  auto endpoint = http::parse_url(upstream_url_);
  if (!endpoint) throw std::invalid_argument("dynamodb_proxy: bad upstream URL " + upstream_url_ + ": " + endpoint.error());
  upstream_endpoint_ = std::move(*endpoint);
  server_ = std::make_unique<http_fixture>([this](const fixture_request& request) { return handle(request); });
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

bool dynamodb_proxy::chance(double p) {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < p;
}

std::uint64_t dynamodb_proxy::calls(std::string_view operation) const {
  std::lock_guard lock(mutex_);
  const auto found = calls_.find(operation);
  return found == calls_.end() ? 0 : found->second;
}

std::uint64_t dynamodb_proxy::faults(std::string_view operation) const {
  std::lock_guard lock(mutex_);
  const auto found = faults_.find(operation);
  return found == faults_.end() ? 0 : found->second;
}

std::uint64_t dynamodb_proxy::faults_of_type(std::string_view error_type) const {
  std::lock_guard lock(mutex_);
  const auto found = fault_types_.find(error_type);
  return found == fault_types_.end() ? 0 : found->second;
}

std::uint64_t dynamodb_proxy::faults() const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [operation, count] : faults_) total += count;
  return total;
}

std::uint64_t dynamodb_proxy::held_back() const {
  std::lock_guard lock(mutex_);
  return held_back_;
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

fixture_response dynamodb_proxy::handle(const fixture_request& request) {
  before_hook before;
  rewrite_hook rewrite;
  after_hook after;
  proxied_call call{operation_of(request), 0, request};
  {
    std::lock_guard lock(mutex_);
    before = before_;
    rewrite = rewrite_;
    after = after_;
    call.index = calls_[call.operation]++;
  }

  if (before) {
    if (auto answer = before(call)) {
      const auto type = error_type_of(*answer);
      std::lock_guard lock(mutex_);
      ++faults_[call.operation];
      ++fault_types_[type];
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
  std::optional<rewritten_call> rewritten;
  if (rewrite) rewritten = rewrite(call);
  if (rewritten) {
    forwarded.body = rewritten->body;  // the signature no longer matches; the emulators check none
    std::lock_guard lock(mutex_);
    held_back_ += rewritten->held_back;
  }

  auto& session = upstream();
  auto sent = run(session.io, session.http->send(std::move(forwarded), upstream_timeout));
  if (!sent) {
    // The upstream is local and up: a transport failure here is a broken test environment.
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
  return reply;
}

// ---- partial_batch ----

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
    if (call.operation != "BatchWriteItem") return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::object root;
    if (parser.parse(call.request.body).get(root)) throw std::runtime_error("partial_batch: the request body is not JSON");
    simdjson::dom::object items;
    if (root["RequestItems"].get(items)) throw std::runtime_error("partial_batch: no RequestItems");

    std::map<std::string, std::vector<std::string>> forwarded, held;
    std::size_t forwarded_count = 0;
    {
      std::lock_guard lock(state->mutex);
      for (const auto table : items) {
        auto& to_forward = forwarded[std::string(table.key)];
        auto& to_hold = held[std::string(table.key)];
        for (const auto request : table.value.get_array()) {
          const bool is_delete = !request["DeleteRequest"].error();
          if (is_delete && std::uniform_real_distribution<double>(0.0, 1.0)(state->random) < state->fraction) {
            to_hold.push_back(minified(request));
          } else {
            to_forward.push_back(minified(request));
            ++forwarded_count;
          }
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
      if (response_parser.parse(answer.body).get(response_root)) throw std::runtime_error("partial_batch: the upstream's answer is not JSON");
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
  };
}

}  // namespace scavenger::test
