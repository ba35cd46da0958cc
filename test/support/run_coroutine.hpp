#pragma once
// Runs one coroutine to completion on an io_context, for tests.
//
// Thread safety: call from the thread that owns `io` (run() drives it on the calling thread).

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace scavenger::test {

// Long enough for any single test step; a hung coroutine fails the test instead of hanging ctest.
inline constexpr std::chrono::seconds default_run_limit{60};

// co_spawns `task` on `io`, runs `io` until the task has finished and returns its value
// (rethrowing its exception). Other work on `io` runs too, and may stay pending afterwards
// (idle pooled connections are not work). Throws std::runtime_error when `limit` passes
// first; the abandoned coroutine stays on `io` and is destroyed with it.
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> task,
      std::chrono::steady_clock::duration limit = default_run_limit) {
  // Shared with the completion handler: it may outlive this frame if the limit passes.
  struct outcome {
    bool done = false;
    std::exception_ptr error;
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
  };
  auto state = std::make_shared<outcome>();
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(io, std::move(task), [state](std::exception_ptr error) {
      state->done = true;
      state->error = error;
    });
  } else {
    boost::asio::co_spawn(io, std::move(task), [state](std::exception_ptr error, T value) {
      state->done = true;
      state->error = error;
      if (!error) state->value.emplace(std::move(value));
    });
  }
  const auto until = std::chrono::steady_clock::now() + limit;
  if (io.stopped()) io.restart();
  while (!state->done && std::chrono::steady_clock::now() < until) {
    // Returns 0 when the time is up or the io_context ran out of work (then the task is done).
    if (io.run_one_until(until) == 0 && io.stopped()) {
      io.restart();
      if (!state->done) break;
    }
  }
  if (!state->done) {
    throw std::runtime_error("scavenger::test::run: the coroutine did not finish within " +
                             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(limit).count()) + " ms");
  }
  if (state->error) std::rethrow_exception(state->error);
  if constexpr (!std::is_void_v<T>) return std::move(*state->value);
}

}  // namespace scavenger::test
