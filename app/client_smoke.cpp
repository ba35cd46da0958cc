// scavenger-smoke: drives the DynamoDB client end to end against a real endpoint, the way the
// scavenger will: create a table of the original's shape, fill it with BatchWriteItem, Scan it
// in parallel segments with the original's filter, delete what matched, and verify the rest.
#include <CLI/CLI.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "aws/credentials_chain.hpp"
#include "aws/endpoint.hpp"
#include "dynamodb/client.hpp"

namespace {

namespace asio = boost::asio;
namespace ddb = scavenger::dynamodb;

struct smoke_options {
  std::string table = "ScavengerSmoke";
  int items = 2000;
  int segments = 4;
  scavenger::aws::connection_settings connection;
};

template <class T>
T require(ddb::outcome<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + " failed: " + ddb::describe(result.error()));
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// Every other item is Completed (alternating the N and S encodings of the original table).
ddb::item worker(int id) {
  const bool completed = id % 2 == 0;
  const char* completed_value = !completed ? R"({"N":"0"})" : (id % 4 == 0 ? R"({"N":"1"})" : R"({"S":"1"})");
  return {{"WorkerId", R"({"N":")" + std::to_string(id) + R"("})"},
          {"StartTime", R"({"S":"2026-11-01T00:00:00Z"})"},
          {"Completed", completed_value}};
}

asio::awaitable<int> smoke(ddb::client& client, const smoke_options& options) {
  const auto started = std::chrono::steady_clock::now();
  auto existing = co_await client.describe_table(options.table);
  if (existing) require(co_await client.delete_table(options.table), "DeleteTable (old table)");
  // Requests are named before co_await: GCC 12 destroys braced temporaries in a co_await
  // expression twice (GCC bugs 99576 and 100611).
  ddb::create_table_request create{options.table, {{"WorkerId", "N"}, ddb::key_attribute{"StartTime", "S"}}, std::nullopt};
  require(co_await client.create_table(std::move(create)), "CreateTable");
  require(co_await client.wait_until_active(options.table, std::chrono::seconds(60)), "waiting for the table");

  std::vector<ddb::write_request> pending;
  for (int id = 0; id < options.items; ++id) pending.push_back({ddb::write_request::kind::put, worker(id)});
  while (!pending.empty()) {
    const auto take = std::min(pending.size(), ddb::max_batch_write_requests);
    std::vector<ddb::write_request> batch(pending.end() - static_cast<std::ptrdiff_t>(take), pending.end());
    pending.resize(pending.size() - take);
    ddb::batch_write_request puts{options.table, std::move(batch), false};
    auto written = require(co_await client.batch_write_item(std::move(puts)), "BatchWriteItem");
    for (auto& left : written.unprocessed) pending.push_back(std::move(left));
  }

  std::int64_t scanned = 0;
  std::vector<ddb::write_request> deletes;
  for (int segment = 0; segment < options.segments; ++segment) {
    ddb::scan_request request;
    request.table = options.table;
    request.segment = segment;
    request.total_segments = options.segments;
    request.filter_expression = "#Comp = :NCompl OR #Comp = :SCompl";
    request.projection_expression = "WorkerId, StartTime";
    request.expression_attribute_names = R"({"#Comp":"Completed"})";
    request.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
    do {
      auto page = require(co_await client.scan(request), "Scan");
      scanned += page.scanned_count;
      for (auto& key : page.items) deletes.push_back({ddb::write_request::kind::remove, std::move(key)});
      request.exclusive_start_key = std::move(page.last_evaluated_key);
    } while (!request.exclusive_start_key.empty());
  }
  const auto matched = deletes.size();
  while (!deletes.empty()) {
    const auto take = std::min(deletes.size(), ddb::max_batch_write_requests);
    std::vector<ddb::write_request> batch(deletes.end() - static_cast<std::ptrdiff_t>(take), deletes.end());
    deletes.resize(deletes.size() - take);
    ddb::batch_write_request removals{options.table, std::move(batch), false};
    auto written = require(co_await client.batch_write_item(std::move(removals)), "BatchWriteItem");
    for (auto& left : written.unprocessed) deletes.push_back(std::move(left));
  }

  std::int64_t remaining = 0;
  ddb::scan_request all;
  all.table = options.table;
  do {
    auto page = require(co_await client.scan(all), "Scan (verify)");
    remaining += page.count;
    all.exclusive_start_key = std::move(page.last_evaluated_key);
  } while (!all.exclusive_start_key.empty());
  require(co_await client.delete_table(options.table), "DeleteTable");

  const auto expected_remaining = options.items - options.items / 2 - (options.items % 2);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& counters = client.counters();
  std::printf(
      "{\"table\":\"%s\",\"endpoint\":\"%s\",\"items\":%d,\"scanned\":%lld,\"matched\":%zu,\"remaining\":%lld,"
      "\"expected_remaining\":%d,\"requests\":{\"scan\":%llu,\"batch_write_item\":%llu,\"retries\":%llu},\"duration_s\":%.3f}\n",
      options.table.c_str(), client.config().endpoint.origin().c_str(), options.items, static_cast<long long>(scanned), matched,
      static_cast<long long>(remaining), expected_remaining, static_cast<unsigned long long>(counters.scan),
      static_cast<unsigned long long>(counters.batch_write_item), static_cast<unsigned long long>(counters.retries), seconds);
  if (remaining != expected_remaining) {
    std::fprintf(stderr, "scavenger-smoke: %lld items remain, expected %d\n", static_cast<long long>(remaining), expected_remaining);
    co_return 1;
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  smoke_options options;
  CLI::App app{"scavenger-smoke: create a table, write, scan and delete through scavenger's DynamoDB client"};
  app.add_option("--table", options.table, "table to create (replaced if it exists)");
  app.add_option("--items", options.items, "items to write")->check(CLI::Range(1, 1'000'000));
  app.add_option("--segments", options.segments, "Scan TotalSegments")->check(CLI::Range(1, 1'000'000));
  app.add_option("--endpoint-url", options.connection.endpoint_url, "DynamoDB endpoint (default: AWS conventions)");
  app.add_option("--region", options.connection.region, "AWS region");
  app.add_option("--profile", options.connection.profile, "shared-config profile");
  app.add_option("--ca-bundle", options.connection.ca_bundle, "extra CA certificates (PEM)");
  CLI11_PARSE(app, argc, argv);

  const auto& env = scavenger::aws::process_environment();
  auto connection = scavenger::aws::resolve_connection(options.connection, env);
  if (!connection) {
    std::fprintf(stderr, "scavenger-smoke: %s\n", connection.error().c_str());
    return 2;
  }
  try {
    asio::io_context io;
    const auto config = ddb::client_config_for(*connection);
    ddb::client client(io.get_executor(), config,
                       scavenger::aws::make_default_chain(io.get_executor(), env, options.connection.profile));
    int exit_code = 1;
    asio::co_spawn(io, smoke(client, options), [&](std::exception_ptr error, int code) {
      if (error) std::rethrow_exception(error);
      exit_code = code;
    });
    io.run();
    return exit_code;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "scavenger-smoke: %s\n", error.what());
    return 1;
  }
}
