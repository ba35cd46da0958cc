#pragma once
// A local Lambda Runtime API for tests, following the published protocol
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): GET
// /2018-06-01/runtime/invocation/next blocks until the test queues an event and answers it with
// the Lambda-Runtime-* headers; POST …/invocation/{id}/response, …/invocation/{id}/error and
// /2018-06-01/runtime/init/error are recorded for the test to wait on.
//
// Thread safety: every public member function may be called from any thread; the handlers run
// on the http_fixture's worker threads and share the state under one mutex.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/http_fixture.hpp"

namespace scavenger::test {

// What the runtime answered to one invocation, or to start-up.
struct runtime_answer {
  bool error = false;
  std::string error_type;  // the Lambda-Runtime-Function-Error-Type header
  std::string body;        // the response, or {"errorMessage", "errorType", "stackTrace"}
  std::chrono::system_clock::time_point at;
};

class runtime_api {
 public:
  runtime_api() : server_([this](const fixture_request& request) { return handle(request); }) {}
  ~runtime_api() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();  // frees a handler blocked in /next, so that server_ can join it
  }
  runtime_api(const runtime_api&) = delete;
  runtime_api& operator=(const runtime_api&) = delete;

  std::string host_port() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  // Queues an event whose deadline is `time_left` from now; returns its request id.
  std::string invoke(std::string body, std::chrono::milliseconds time_left = std::chrono::seconds(60)) {
    std::lock_guard lock(mutex_);
    queued event;
    event.id = "req-" + std::to_string(++invocations_);
    event.body = std::move(body);
    event.deadline = std::chrono::system_clock::now() + time_left;
    queue_.push_back(event);
    changed_.notify_all();
    return event.id;
  }

  // The answer to `id`, once it came (nullopt after `limit`).
  std::optional<runtime_answer> wait_for(const std::string& id, std::chrono::steady_clock::duration limit) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, limit, [&] { return answers_.contains(id); })) return std::nullopt;
    return answers_.at(id);
  }

  std::optional<runtime_answer> wait_for_init_error(std::chrono::steady_clock::duration limit) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, limit, [&] { return !init_errors_.empty(); })) return std::nullopt;
    return init_errors_.front();
  }

  std::size_t polls() const {
    std::lock_guard lock(mutex_);
    return polls_;
  }

 private:
  struct queued {
    std::string id;
    std::string body;
    std::chrono::system_clock::time_point deadline;
  };

  static constexpr std::string_view invocation_prefix = "/2018-06-01/runtime/invocation/";

  fixture_response handle(const fixture_request& request) {
    if (request.method == "GET" && request.target == "/2018-06-01/runtime/invocation/next") return next();
    if (request.method != "POST") return {404, {}, "not found"};
    runtime_answer answer;
    answer.error_type = std::string(request.header_value("Lambda-Runtime-Function-Error-Type").value_or(""));
    answer.body = request.body;
    answer.at = std::chrono::system_clock::now();
    std::lock_guard lock(mutex_);
    if (request.target == "/2018-06-01/runtime/init/error") {
      answer.error = true;
      init_errors_.push_back(answer);
    } else if (request.target.starts_with(invocation_prefix)) {
      // {id}/response or {id}/error
      const auto rest = request.target.substr(invocation_prefix.size());
      const auto slash = rest.find('/');
      if (slash == std::string::npos) return {404, {}, "not found"};
      const auto id = rest.substr(0, slash);
      const auto kind = rest.substr(slash + 1);
      if (kind != "response" && kind != "error") return {404, {}, "not found"};
      if (answers_.contains(id)) return {400, {}, R"({"errorType":"InvalidStateTransition"})"};
      answer.error = kind == "error";
      answers_[id] = answer;
    } else {
      return {404, {}, "not found"};
    }
    changed_.notify_all();
    return {202, {}, R"({"status":"OK"})"};
  }

  // The long poll: Lambda answers /next only when there is an event.
  fixture_response next() {
    std::unique_lock lock(mutex_);
    ++polls_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return {500, {}, "shutting down", true};
    auto event = queue_.front();
    queue_.pop_front();
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(event.deadline.time_since_epoch()).count();
    fixture_response answer;
    answer.headers = {{"Content-Type", "application/json"},
                      {"Lambda-Runtime-Aws-Request-Id", event.id},
                      {"Lambda-Runtime-Deadline-Ms", std::to_string(millis)},
                      {"Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"},
                      {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:scavenger"}};
    answer.body = std::move(event.body);
    return answer;
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::size_t invocations_ = 0;
  std::size_t polls_ = 0;
  std::deque<queued> queue_;
  std::map<std::string, runtime_answer> answers_;
  std::vector<runtime_answer> init_errors_;
  http_fixture server_;  // last: destroyed first, joining its handlers while the state exists
};

}  // namespace scavenger::test
