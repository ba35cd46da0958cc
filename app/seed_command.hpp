#pragma once
// `scavenger seed`: create and fill a table of the original Go scavenger's shape.

#include <CLI/CLI.hpp>

#include "aws/endpoint.hpp"
#include "aws/environment.hpp"
#include "scavenger/seed.hpp"

namespace scavenger::app {

struct seed_options {
  core::seed_settings seed;
  aws::connection_settings connection;
};

void add_seed_options(CLI::App& command, seed_options& options);

// Returns the process exit code: 0 seeded, 1 a request failed, 2 bad settings.
int seed_command(seed_options options, const aws::environment& env);

}  // namespace scavenger::app
