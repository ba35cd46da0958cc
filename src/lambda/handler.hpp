#pragma once
// The Lambda function (SPEC §7 "Lambda"): validate the environment once at start-up (a value
// that can never work goes to /init/error and the process exits), then serve invocations one
// after another: event over environment -> settings -> run -> the summary (SPEC §8) as the
// response, or an /error report whose errorType says whose fault it is:
//   Scavenger.InvalidEvent          the event (or what it leaves unset) is wrong; nothing ran
//   Scavenger.InvalidConfiguration  the connection settings cannot be used (endpoint, CA bundle)
//   Scavenger.RunFailed             a fatal run error (table missing, access denied, …)
//   Scavenger.InternalError         a bug
// An incomplete run (the deadline) is a response, not an error: it carries `cursors` and
// `cutoff` for the next invocation.
//
// Thread safety: none; runs on one io_context thread.

#include <boost/asio/awaitable.hpp>

#include "aws/environment.hpp"

namespace scavenger::lambda {

// Serves until the Runtime API fails or start-up fails; returns the process's exit code (1).
// Reads AWS_LAMBDA_RUNTIME_API and the options' variables from `env`.
boost::asio::awaitable<int> serve(const aws::environment& env);

}  // namespace scavenger::lambda
