#include "seed_command.hpp"

#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "aws/credentials_chain.hpp"
#include "dynamodb/client.hpp"

namespace scavenger::app {

namespace asio = boost::asio;

void add_seed_options(CLI::App& command, seed_options& options) {
  command.add_option("--table", options.seed.table, "table to create")->required();
  command.add_option("--items", options.seed.items, "items to write (default 130000)")->check(CLI::NonNegativeNumber);
  command.add_option("--survivors", options.seed.survivors, "items the original's rule keeps (default 3300)")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--recreate", options.seed.recreate, "delete the table first if it exists");
  command.add_option("--writers", options.seed.writers, "BatchWriteItem requests in flight (default 16)")->check(CLI::PositiveNumber);
  command.add_option("--endpoint-url", options.connection.endpoint_url, "DynamoDB endpoint");
  command.add_option("--region", options.connection.region, "AWS region");
  command.add_option("--profile", options.connection.profile, "shared-config profile");
  command.add_option("--ca-bundle", options.connection.ca_bundle, "PEM file of extra trusted CAs");
}

int seed_command(seed_options options, const aws::environment& env) {
  auto connection = aws::resolve_connection(options.connection, env);
  if (!connection) {
    std::fprintf(stderr, "scavenger: %s\n", connection.error().c_str());
    return 2;
  }
  asio::io_context io;
  const auto config = dynamodb::client_config_for(*connection);
  dynamodb::client client(io.get_executor(), config, aws::make_default_chain(io.get_executor(), env, options.connection.profile));
  options.seed.now = std::chrono::system_clock::now();

  boost::system::result<core::seed_report, core::seed_error> outcome{core::seed_error{"seed did not finish"}};
  asio::co_spawn(io, core::seed_table(client, options.seed), [&](std::exception_ptr error, auto value) {
    if (error) std::rethrow_exception(error);
    outcome = std::move(value);
  });
  io.run();
  if (!outcome) {
    std::fprintf(stderr, "scavenger: %s\n", outcome.error().message.c_str());
    return 1;
  }
  std::printf("{\"table\":\"%s\",\"written\":%lld,\"expected_deletions\":%lld,\"survivors\":%lld,\"requests\":%lld,\"duration_s\":%.3f}\n",
              options.seed.table.c_str(), static_cast<long long>(outcome->written),
              static_cast<long long>(outcome->expected_deletions), static_cast<long long>(outcome->survivors),
              static_cast<long long>(outcome->requests), outcome->seconds);
  return 0;
}

}  // namespace scavenger::app
