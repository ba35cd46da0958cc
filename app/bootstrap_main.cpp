// bootstrap: the Lambda custom runtime's entry point (SPEC §7 "Lambda"). Lambda starts it once
// per sandbox; it serves invocations until the sandbox goes.
#include <cstdio>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "aws/environment.hpp"
#include "lambda/handler.hpp"
#include "scavenger/memory_tuning.hpp"

int main() {
  scavenger::core::keep_large_buffers_out_of_the_heap();
  boost::asio::io_context io(1);  // one thread: the whole runtime runs on it
  int exit_code = 1;
  boost::asio::co_spawn(io, scavenger::lambda::serve(scavenger::aws::process_environment()),
                        [&](std::exception_ptr failure, int code) {
                          exit_code = code;
                          if (!failure) return;
                          try {
                            std::rethrow_exception(failure);
                          } catch (const std::exception& error) {
                            std::fprintf(stderr, "bootstrap: internal error: %s\n", error.what());
                          }
                          exit_code = 1;
                        });
  io.run();
  return exit_code;
}
