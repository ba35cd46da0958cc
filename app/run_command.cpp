#include "run_command.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "aws/credentials_chain.hpp"
#include "scavenger/logger.hpp"

namespace scavenger::app {

namespace asio = boost::asio;

namespace {

bool show_progress(const std::string& mode) { return mode == "always" || (mode == "auto" && ::isatty(STDERR_FILENO) == 1); }

// One status line, rewritten in place on a terminal: what a person watching a long run needs.
void print_progress(const core::pipeline& work, std::chrono::steady_clock::duration elapsed) {
  const auto& counts = work.counts();
  const double seconds = std::max(0.001, std::chrono::duration<double>(elapsed).count());
  std::fprintf(stderr, "\rscanned %s  matched %s  deleted %s (%.0f/s)  skipped %s  failed %s  %.0fs   ",
               core::with_thousands_separators(counts.scanned).c_str(), core::with_thousands_separators(counts.matched).c_str(),
               core::with_thousands_separators(counts.deleted).c_str(), static_cast<double>(counts.deleted) / seconds,
               core::with_thousands_separators(counts.skipped_young + counts.skipped_invalid + counts.skipped_changed).c_str(),
               core::with_thousands_separators(counts.failed).c_str(), seconds);
}

}  // namespace

int run_command(const core::run_settings& settings, const aws::environment& env) {
  core::logger log(core::logger::parse_level(settings.log_level), settings.log_format == "json");
  if (settings.run.table.empty()) {
    log.error("no table given: pass --table NAME (or set SCAVENGER_TABLE / WorkersTableName)");
    return 2;
  }
  auto connection = aws::resolve_connection(settings.connection, env);
  if (!connection) {
    log.error(connection.error());
    return 2;
  }

  asio::io_context io;
  auto config = dynamodb::client_config_for(*connection);
  config.retry = settings.run.retry;
  config.request_timeout = settings.request_timeout;
  std::unique_ptr<dynamodb::client> client;
  try {
    client = std::make_unique<dynamodb::client>(io.get_executor(), config,
                                                aws::make_default_chain(io.get_executor(), env, settings.connection.profile));
  } catch (const std::exception& failure) {  // an unreadable --ca-bundle
    log.error(failure.what());
    return 2;
  }

  core::stop_source stop(io.get_executor());
  if (settings.timeout) stop.set_deadline(std::chrono::steady_clock::now() + *settings.timeout);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int number) {
    if (ec) return;
    log.warn("signal received: stopping, cursors will be saved", {{"signal", std::to_string(number)}});
    stop.request_stop(core::stop_reason::signal);
  });

  auto run = settings.run;
  run.endpoint = connection->endpoint.origin();
  const bool progress = show_progress(settings.progress);
  core::progress_callback on_progress = [&](core::pipeline& work, std::chrono::steady_clock::duration elapsed) {
    if (progress) print_progress(work, elapsed);
    if (log.enabled(core::log_level::debug)) {
      log.debug("deleters", {{"in_flight_limit", std::to_string(work.current_deleters())},
                             {"lowest", std::to_string(work.lowest_deleters())}});
    }
  };

  core::run_result result;
  std::exception_ptr failure;
  asio::co_spawn(io, core::execute(*client, std::move(run), stop, on_progress),
                 [&](std::exception_ptr error, core::run_result value) {
                   failure = error;
                   result = std::move(value);
                   signals.cancel();
                   stop.request_stop(core::stop_reason::fatal_error);  // ends any waiter left
                 });
  io.run();
  if (progress) std::fputc('\n', stderr);
  if (failure) std::rethrow_exception(failure);

  if (!result.error.empty()) log.error(result.error);
  if (result.summary_valid) {
    const auto text = settings.output == "text" ? core::to_text(result.summary) : core::to_json(result.summary) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  return result.exit_code;
}

}  // namespace scavenger::app
