#include "lambda/handler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "lambda/client_cache.hpp"
#include "lambda/event.hpp"
#include "lambda/runtime_client.hpp"
#include "scavenger/logger.hpp"
#include "scavenger/settings.hpp"

namespace scavenger::lambda {

namespace asio = boost::asio;

namespace {

// One invocation's outcome: a response body, or an error report.
struct answer {
  bool ok = false;
  std::string body;        // the response, when ok
  std::string error_type;  // otherwise
  std::string message;
};

answer failed(std::string type, std::string message) { return {false, {}, std::move(type), std::move(message)}; }

// parse_run_settings names options as flags ("--older-than ..."); in Lambda the user wrote an
// event field or a variable, so say which.
std::string in_lambda_terms(const std::string& message, bool from_event) {
  if (message.rfind("--", 0) != 0) return message;
  const auto end = message.find_first_of(" :", 2);
  const std::string option = message.substr(2, end == std::string::npos ? std::string::npos : end - 2);
  return message + (from_event ? " (event field '" + core::event_field_name(option) + "')"
                               : " (environment variable " + core::environment_name(option) + ")");
}

// Logs are JSON lines in Lambda (CloudWatch parses them) unless the settings ask for text.
core::logger logger_for(const core::option_values& values, const core::run_settings* settings) {
  const bool text = values.contains("log-format") && settings && settings->log_format == "text";
  return core::logger(core::logger::parse_level(settings ? settings->log_level : "info"), !text);
}

// The run's stop: Lambda's deadline minus the margin, and --timeout if it comes first.
std::optional<std::chrono::steady_clock::time_point> run_deadline(const invocation& next, const core::run_settings& settings) {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const auto now = std::chrono::steady_clock::now();
  if (next.deadline) {
    // Lambda gives wall-clock milliseconds; the run's timers are steady.
    const auto left = std::chrono::duration_cast<std::chrono::steady_clock::duration>(*next.deadline - std::chrono::system_clock::now());
    deadline = now + left - settings.deadline_margin;
  }
  if (settings.timeout) {
    const auto limit = now + *settings.timeout;
    if (!deadline || limit < *deadline) deadline = limit;
  }
  return deadline;
}

class function_handler {
 public:
  function_handler(asio::any_io_executor executor, const aws::environment& env, core::option_values environment_values)
      : executor_(executor), env_(env), environment_values_(std::move(environment_values)), clients_(executor, env) {}

  asio::awaitable<answer> handle(const invocation& next) {
    auto event = parse_event(next.body);
    if (!event) co_return failed("Scavenger.InvalidEvent", event.error().message);
    const auto merged = core::merge_sources({}, event->options, environment_values_);
    auto settings = core::parse_run_settings(event->command, merged);
    if (!settings) co_return failed("Scavenger.InvalidEvent", in_lambda_terms(settings.error().message, true));
    const auto log = logger_for(merged, &*settings);
    if (settings->run.table.empty()) {
      co_return failed("Scavenger.InvalidEvent",
                       "no table: set the event field 'table' (or SCAVENGER_TABLE / WorkersTableName in the environment)");
    }
    auto connection = aws::resolve_connection(settings->connection, env_);
    if (!connection) co_return failed("Scavenger.InvalidConfiguration", connection.error());
    dynamodb::client* client = nullptr;
    try {
      client = &clients_.get(*connection, *settings);
    } catch (const std::exception& failure) {  // an unreadable CA bundle
      co_return failed("Scavenger.InvalidConfiguration", failure.what());
    }

    auto run = settings->run;
    run.endpoint = connection->endpoint.origin();
    if (event->cursors) run.cursors = std::move(event->cursors);
    if (event->cutoff) run.cutoff = event->cutoff;
    core::stop_source stop(executor_);
    if (auto deadline = run_deadline(next, *settings)) stop.set_deadline(*deadline);

    const auto connections_before = client->transport().connections_opened();
    auto result = co_await core::execute(*client, std::move(run), stop);
    stop.request_stop(core::stop_reason::fatal_error);  // ends any waiter left, as the CLI does
    co_await asio::post(executor_, asio::use_awaitable);  // …and lets it run before `stop` goes

    const auto opened = client->transport().connections_opened();
    log.info("invocation done", {{"request_id", next.request_id},
                                 {"exit_code", std::to_string(result.exit_code)},
                                 {"complete", result.summary.complete ? "true" : "false"},
                                 {"deleted", std::to_string(result.summary.counts.deleted)},
                                 {"connections_opened", std::to_string(opened - connections_before)},
                                 {"connections_opened_total", std::to_string(opened)}});
    if (result.exit_code == 2) co_return failed("Scavenger.InvalidEvent", in_lambda_terms(result.error, true));
    if (result.exit_code == 1) co_return failed("Scavenger.RunFailed", result.error);
    if (!result.error.empty()) log.warn(result.error);
    co_return answer{true, core::to_json(result.summary), {}, {}};
  }

 private:
  asio::any_io_executor executor_;
  const aws::environment& env_;
  core::option_values environment_values_;
  client_cache clients_;
};

}  // namespace

asio::awaitable<int> serve(const aws::environment& env) {
  auto executor = co_await asio::this_coro::executor;
  const auto environment_values = core::options_from_environment(env);
  auto environment_settings = core::parse_run_settings(core::run_command::run, environment_values);
  const auto log = logger_for(environment_values, environment_settings ? &*environment_settings : nullptr);

  auto endpoint = runtime_client::endpoint_of(env.get("AWS_LAMBDA_RUNTIME_API").value_or(""));
  if (!endpoint) {
    log.error(endpoint.error().message);
    co_return 1;
  }
  runtime_client runtime(executor, *endpoint);

  // SPEC §7: an environment value that can never work is reported once, at start-up; every
  // invocation would fail on it otherwise.
  if (!environment_settings) {
    auto message = in_lambda_terms(environment_settings.error().message, false);
    log.error(message);
    std::string type = "Scavenger.InvalidEnvironment";  // named: see GCC 12's co_await bug
    auto reported = co_await runtime.post_init_error(std::move(type), message);
    if (!reported) log.error(reported.error().message);
    co_return 1;
  }

  function_handler handler(executor, env, environment_values);
  for (;;) {
    auto next = co_await runtime.next();
    if (!next) {
      log.error(next.error().message);
      co_return 1;
    }
    answer outcome;
    try {
      outcome = co_await handler.handle(*next);
    } catch (const std::exception& failure) {
      outcome = failed("Scavenger.InternalError", failure.what());
    }
    runtime_result<void> posted;
    if (outcome.ok) {
      posted = co_await runtime.post_response(next->request_id, std::move(outcome.body));
    } else {
      log.error(outcome.message, {{"request_id", next->request_id}, {"error_type", outcome.error_type}});
      posted = co_await runtime.post_error(next->request_id, outcome.error_type, outcome.message);
    }
    // A refused answer (too large, say) fails only this invocation; the loop goes on.
    if (!posted) log.error(posted.error().message, {{"request_id", next->request_id}});
  }
}

}  // namespace scavenger::lambda
