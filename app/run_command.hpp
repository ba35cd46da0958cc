#pragma once
// `scavenger plan` and `scavenger run`: connect, run, print the summary (SPEC §7, §8).

#include "scavenger/settings.hpp"

namespace scavenger::app {

// Runs one plan or run with settings already parsed; returns the process exit code.
int run_command(const core::run_settings& settings, const aws::environment& env);

}  // namespace scavenger::app
