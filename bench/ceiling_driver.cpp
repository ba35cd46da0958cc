// scavenger_ceiling_driver: the endpoint's ceiling for the scavenger-vs-ceiling benchmark
// (bench/scavenger_vs_ceiling.sh). Two raw steps, no predicate logic, no stats, no cursors:
//
//   scan    a parallel Scan (every segment at once) with the original Go scavenger's filter
//           and a key-only projection; writes the keys as JSON lines.
//   delete  deletes keys known in advance: BatchWriteItem of 25 (`--mode batch`) or one
//           DeleteItem each (`--mode item`), `--concurrency` requests in flight, resending
//           UnprocessedItems until none is left. With `--condition` each DeleteItem carries the
//           condition scavenger's conditional mode sends for the original's rule.
//
// Each prints one JSON line with the seconds from its first request to its last answer, so the
// script adds scan + delete and compares the sum with `scavenger run`, which does both at once.
// It uses the same dynamodb::client as the scavenger: the ceiling is the endpoint's, measured
// through our own transport, not a different HTTP stack.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <simdjson.h>

#include "aws/credentials_chain.hpp"
#include "aws/endpoint.hpp"
#include "aws/environment.hpp"
#include "dynamodb/client.hpp"
#include "scavenger/predicate.hpp"
#include "scavenger/worker_item.hpp"

namespace {

namespace asio = boost::asio;
namespace dynamodb = scavenger::dynamodb;
using clock_type = std::chrono::steady_clock;

// The original's filter (SPEC §1): completed, as a number or as a string.
constexpr const char* original_filter = "#Comp = :NCompl OR #Comp = :SCompl";
constexpr const char* original_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
constexpr const char* age_attribute = "StartExecutionTime";

struct common_options {
  std::string table;
  std::string endpoint_url;
};

struct scan_options {
  int segments = 10;
  std::string keys_out;
  // Not for timing: also project Completed and StartExecutionTime and write only the keys the
  // original's rule deletes now, i.e. exactly the set `scavenger run` deletes on a seeded table.
  bool original_rule = false;
  // With --original-rule: each line also carries the item's StartExecutionTime as scanned, for
  // `delete --condition`.
  bool with_age = false;
};

struct delete_options {
  std::string keys;
  std::string mode = "batch";
  int concurrency = 16;
  // Item mode: send scavenger's condition with each DeleteItem, the age value taken from the
  // line (`scan --original-rule --with-age`): the same requests as its conditional mode.
  bool condition = false;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "scavenger_ceiling_driver: %s\n", message.c_str());
  std::exit(1);
}

std::unique_ptr<dynamodb::client> make_client(asio::io_context& io, const common_options& common) {
  scavenger::aws::connection_settings settings;
  settings.endpoint_url = common.endpoint_url;
  const auto& env = scavenger::aws::process_environment();
  auto connection = scavenger::aws::resolve_connection(settings, env);
  if (!connection) fail(connection.error());
  dynamodb::client_config config;
  config.endpoint = connection->endpoint;
  config.region = connection->region;
  config.http = connection->client;
  return std::make_unique<dynamodb::client>(io.get_executor(), config,
                                            scavenger::aws::make_default_chain(io.get_executor(), env, std::nullopt));
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// ---- scan ------------------------------------------------------------------------------------

struct scan_state {
  dynamodb::client* client = nullptr;
  dynamodb::key_schema keys;
  const scan_options* options = nullptr;
  std::string table;
  std::string names_json;
  std::string projection;
  std::chrono::system_clock::time_point now;
  std::FILE* out = nullptr;
  std::int64_t pages = 0;
  std::int64_t items = 0;
  std::int64_t scanned = 0;
  std::int64_t written = 0;
  std::string error;
};

asio::awaitable<void> scan_segment(scan_state& state, int segment) {
  const auto key_names = state.keys.names();
  std::string start_key;
  do {
    dynamodb::scan_request request;
    request.table = state.table;
    request.segment = segment;
    request.total_segments = state.options->segments;
    request.filter_expression = original_filter;
    request.projection_expression = state.projection;
    request.expression_attribute_names = state.names_json;
    request.expression_attribute_values = original_values;
    request.exclusive_start_key = std::move(start_key);
    auto page = co_await state.client->scan(std::move(request));
    if (!page) {
      state.error = dynamodb::describe(page.error());
      co_return;
    }
    ++state.pages;
    state.items += page->count;
    state.scanned += page->scanned_count;
    for (const auto& entry : page->items) {
      if (state.options->original_rule && !scavenger::core::original_rule_deletes(entry, state.now)) continue;
      auto key = dynamodb::project(entry, key_names);
      if (!key) continue;
      if (state.options->with_age) {
        const auto age = dynamodb::find_attribute(entry, age_attribute);
        if (!age) continue;  // the original's rule deletes only items with an age
        key->push_back({age_attribute, std::string(*age)});
      }
      if (state.out) {
        const auto line = dynamodb::to_json(*key) + "\n";
        std::fwrite(line.data(), 1, line.size(), state.out);
      }
      ++state.written;
    }
    start_key = std::move(page->last_evaluated_key);
  } while (!start_key.empty() && state.error.empty());
}

asio::awaitable<void> run_scan(dynamodb::client& client, const common_options& common, const scan_options& options,
                               scan_state& state, double& seconds) {
  auto description = co_await client.describe_table(common.table);
  if (!description) fail(dynamodb::describe(description.error()));
  state.client = &client;
  state.keys = description->keys;
  state.options = &options;
  state.table = common.table;
  state.now = std::chrono::system_clock::now();
  // Placeholders for every projected name: key names may be reserved words.
  state.names_json = R"({"#Comp":"Completed")";
  const auto key_names = state.keys.names();
  for (std::size_t i = 0; i < key_names.size(); ++i) {
    const auto placeholder = "#k" + std::to_string(i);
    state.names_json += ",\"" + placeholder + "\":\"" + key_names[i] + "\"";
    state.projection += (i == 0 ? "" : ",") + placeholder;
  }
  if (options.original_rule) {
    state.names_json += R"(,"#Age":"StartExecutionTime")";
    state.projection += ",#Comp,#Age";
  }
  state.names_json += "}";

  const auto start = clock_type::now();
  int remaining = options.segments;
  asio::steady_timer done(client.executor(), clock_type::time_point::max());
  for (int segment = 0; segment < options.segments; ++segment) {
    asio::co_spawn(client.executor(), scan_segment(state, segment), [&](std::exception_ptr failure) {
      if (failure) std::rethrow_exception(failure);
      if (--remaining == 0) done.cancel();
    });
  }
  boost::system::error_code ignored;
  co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  seconds = seconds_since(start);
}

// ---- delete ----------------------------------------------------------------------------------

std::vector<dynamodb::item> read_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("cannot read " + path);
  std::vector<dynamodb::item> keys;
  simdjson::ondemand::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) fail("not a JSON object: " + line);
    dynamodb::item key;
    for (auto field : object) {
      std::string_view name;
      simdjson::ondemand::value value;
      std::string_view raw;
      if (field.unescaped_key().get(name) || field.value().get(value) || simdjson::to_json_string(value).get(raw)) {
        fail("malformed key: " + line);
      }
      key.push_back({std::string(name), std::string(raw)});
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

struct delete_state {
  dynamodb::client* client = nullptr;
  std::string table;
  // --condition: the original's rule as scavenger builds it, whose condition each DeleteItem sends.
  std::optional<scavenger::core::predicate> rule;
  std::vector<dynamodb::item> keys;
  std::size_t next = 0;  // first key not yet taken by a worker
  std::int64_t deleted = 0;
  std::int64_t requests = 0;
  std::int64_t resent = 0;  // UnprocessedItems sent again
  std::string error;
};

// One of `concurrency` workers: takes the next 25 keys (or 1), sends them, resends what the
// service left unprocessed after a short pause, and repeats until the keys run out.
asio::awaitable<void> batch_worker(delete_state& state) {
  asio::steady_timer pause(state.client->executor());
  while (state.next < state.keys.size() && state.error.empty()) {
    const auto end = std::min(state.keys.size(), state.next + dynamodb::max_batch_write_requests);
    std::vector<dynamodb::write_request> pending;
    pending.reserve(end - state.next);
    for (; state.next < end; ++state.next) {
      pending.push_back({dynamodb::write_request::kind::remove, std::move(state.keys[state.next])});
    }
    while (!pending.empty()) {
      const auto sent = pending.size();
      dynamodb::batch_write_request request;
      request.table = state.table;
      request.requests = std::move(pending);
      ++state.requests;
      auto result = co_await state.client->batch_write_item(std::move(request));
      if (!result) {
        state.error = dynamodb::describe(result.error());
        co_return;
      }
      pending = std::move(result->unprocessed);
      state.deleted += static_cast<std::int64_t>(sent - pending.size());
      if (!pending.empty()) {
        state.resent += static_cast<std::int64_t>(pending.size());
        pause.expires_after(std::chrono::milliseconds(20));
        co_await pause.async_wait(asio::use_awaitable);
      }
    }
  }
}

// The original's rule as `scavenger run` builds it from the flags the benchmark gives it, so
// the condition, its names and its values are the very texts conditional mode sends.
scavenger::core::predicate original_predicate() {
  scavenger::core::predicate_settings settings;
  settings.filter = original_filter;
  settings.expression_attribute_names = R"({"#Comp":"Completed"})";
  settings.expression_attribute_values = original_values;
  settings.age = scavenger::core::age_rule{age_attribute, scavenger::core::age_format::rfc3339,
                                           std::chrono::system_clock::now() - scavenger::core::original_age_limit};
  auto built = scavenger::core::build_predicate(settings, scavenger::core::worker_table_keys().names());
  if (!built) fail(built.error().message);
  return std::move(*built);
}

// Takes the age value out of `line` (a key with the age attribute, from `scan --with-age`) and
// returns the condition's values for it.
std::string condition_values(const scavenger::core::predicate& rule, dynamodb::item& line) {
  const auto age = std::find_if(line.begin(), line.end(), [](const auto& attribute) { return attribute.name == age_attribute; });
  if (age == line.end()) fail(std::string("--condition: a key line without ") + age_attribute + " (scan with --with-age)");
  auto values = rule.condition_attribute_values(age->value);
  line.erase(age);
  return values;
}

asio::awaitable<void> item_worker(delete_state& state) {
  while (state.next < state.keys.size() && state.error.empty()) {
    dynamodb::delete_item_request request;
    request.table = state.table;
    request.key = std::move(state.keys[state.next++]);
    if (state.rule) {
      request.condition_expression = state.rule->condition_expression();
      request.expression_attribute_names = state.rule->condition_attribute_names();
      request.expression_attribute_values = condition_values(*state.rule, request.key);
    }
    ++state.requests;
    auto result = co_await state.client->delete_item(std::move(request));
    if (!result) {
      state.error = dynamodb::describe(result.error());
      co_return;
    }
    ++state.deleted;
  }
}

double run_delete(asio::io_context& io, dynamodb::client& client, delete_state& state, const delete_options& options) {
  state.client = &client;
  const auto start = clock_type::now();
  for (int worker = 0; worker < options.concurrency; ++worker) {
    asio::co_spawn(io, options.mode == "batch" ? batch_worker(state) : item_worker(state),
                   [](std::exception_ptr failure) {
                     if (failure) std::rethrow_exception(failure);
                   });
  }
  io.run();
  return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"scavenger_ceiling_driver: the endpoint's ceiling (raw Scan, raw deletes of known keys)"};
  app.require_subcommand(1);
  common_options common;
  scan_options scan;
  delete_options remove;

  auto* scan_command = app.add_subcommand("scan", "parallel Scan with the original filter, key-only projection");
  auto* delete_command = app.add_subcommand("delete", "delete known keys: BatchWriteItem of 25 or DeleteItem");
  for (auto* command : {scan_command, delete_command}) {
    command->add_option("--table", common.table, "table")->required();
    command->add_option("--endpoint-url", common.endpoint_url, "DynamoDB endpoint")->required();
  }
  scan_command->add_option("--segments", scan.segments, "Scan TotalSegments, all read at once")->check(CLI::Range(1, 1000000));
  scan_command->add_option("--keys-out", scan.keys_out, "write the keys here, one JSON line each");
  scan_command->add_flag("--original-rule", scan.original_rule,
                         "write only the keys the original's rule deletes (projects its attributes; not for timing)");
  scan_command->add_flag("--with-age", scan.with_age, "with --original-rule: add each item's StartExecutionTime to its line")
      ->needs("--original-rule");
  delete_command->add_option("--keys", remove.keys, "JSON-lines key file (from `scan --keys-out`)")->required();
  delete_command->add_option("--mode", remove.mode, "batch (BatchWriteItem) or item (DeleteItem)")
      ->check(CLI::IsMember({"batch", "item"}));
  delete_command->add_option("--concurrency", remove.concurrency, "requests in flight")->check(CLI::Range(1, 10000));
  delete_command->add_flag("--condition", remove.condition,
                           "item mode: scavenger's condition for the original's rule (key lines from scan --with-age)");
  CLI11_PARSE(app, argc, argv);

  asio::io_context io;
  auto client = make_client(io, common);

  if (*scan_command) {
    scan_state state;
    if (!scan.keys_out.empty()) {
      state.out = std::fopen(scan.keys_out.c_str(), "w");
      if (!state.out) fail("cannot write " + scan.keys_out);
    }
    double seconds = 0;
    asio::co_spawn(io, run_scan(*client, common, scan, state, seconds), [](std::exception_ptr failure) {
      if (failure) std::rethrow_exception(failure);
    });
    io.run();
    if (state.out) std::fclose(state.out);
    if (!state.error.empty()) fail(state.error);
    std::printf(R"({"op":"scan","segments":%d,"seconds":%.3f,"pages":%lld,"scanned":%lld,"matched":%lld,"keys":%lld})" "\n",
                scan.segments, seconds, static_cast<long long>(state.pages), static_cast<long long>(state.scanned),
                static_cast<long long>(state.items), static_cast<long long>(state.written));
    return 0;
  }

  if (remove.condition && remove.mode != "item") fail("--condition needs --mode item: BatchWriteItem takes no condition");
  delete_state state;
  state.table = common.table;
  if (remove.condition) state.rule = original_predicate();
  state.keys = read_keys(remove.keys);
  const auto total = state.keys.size();
  const double seconds = run_delete(io, *client, state, remove);
  if (!state.error.empty()) fail(state.error);
  std::printf(R"({"op":"delete","mode":"%s","concurrency":%d,"seconds":%.3f,"keys":%zu,"deleted":%lld,"requests":%lld,"resent":%lld})" "\n",
              remove.mode.c_str(), remove.concurrency, seconds, total, static_cast<long long>(state.deleted),
              static_cast<long long>(state.requests), static_cast<long long>(state.resent));
  return 0;
}
