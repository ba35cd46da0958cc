// scavenger: deletes the expired items of a DynamoDB table (SPEC §7 "CLI").
//   scavenger plan --table T [options]   scan and report; deletes nothing
//   scavenger run  --table T [options]   delete
//   scavenger seed --table T [--items N] [--survivors K] [--recreate]
//   scavenger version
#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>

#include "aws/environment.hpp"
#include "run_command.hpp"
#include "seed_command.hpp"
#include "scavenger/memory_tuning.hpp"
#include "scavenger/settings.hpp"

namespace {

using scavenger::core::option_kind;
using scavenger::core::option_values;

// Registers every plan/run option on `command`; given values land in `given` (flags > env).
void add_run_options(CLI::App& command, std::map<std::string, std::string>& texts, std::map<std::string, bool>& switches) {
  for (const auto& spec : scavenger::core::run_option_specs()) {
    const std::string flag = "--" + std::string(spec.name);
    const std::string help = std::string(spec.help) + " [env " + scavenger::core::environment_name(spec.name) + "]";
    if (spec.kind == option_kind::flag) {
      command.add_flag(flag, switches[std::string(spec.name)], help);
    } else {
      command.add_option(flag, texts[std::string(spec.name)], help)->type_name(std::string(spec.placeholder));
    }
  }
}

option_values given_flags(const CLI::App& command, const std::map<std::string, std::string>& texts,
                          const std::map<std::string, bool>& switches) {
  option_values given;
  for (const auto& [name, value] : texts) {
    if (command.count("--" + name) > 0) given[name] = value;
  }
  for (const auto& [name, value] : switches) {
    if (command.count("--" + name) > 0) given[name] = value ? "true" : "false";
  }
  return given;
}

}  // namespace

int main(int argc, char** argv) {
  scavenger::core::keep_large_buffers_out_of_the_heap();
  CLI::App app{"scavenger: deletes the expired items of a DynamoDB table, fast and safely.\n"
               "Every option also reads SCAVENGER_<NAME> from the environment (flags win).",
               "scavenger"};
  app.require_subcommand(1);
  std::map<std::string, std::string> plan_texts, run_texts;
  std::map<std::string, bool> plan_switches, run_switches;
  auto* plan = app.add_subcommand("plan", "scan and report what `run` would delete; deletes nothing");
  add_run_options(*plan, plan_texts, plan_switches);
  auto* run = app.add_subcommand("run", "delete the items that match the filter and the age rule");
  add_run_options(*run, run_texts, run_switches);
  scavenger::app::seed_options seed_settings;
  auto* seed = app.add_subcommand("seed", "create and fill a table of the original Go scavenger's shape");
  scavenger::app::add_seed_options(*seed, seed_settings);
  app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return app.exit(CLI::CallForHelp());
  } catch (const CLI::ParseError& failure) {
    if (failure.get_exit_code() == 0) return app.exit(failure);
    std::fprintf(stderr, "scavenger: %s; see `scavenger --help`\n", failure.what());
    return 2;
  }

  const auto& env = scavenger::aws::process_environment();
  if (app.got_subcommand("version")) {
    std::printf("scavenger %s\n", SCAVENGER_VERSION);
    return 0;
  }
  if (app.got_subcommand("seed")) return scavenger::app::seed_command(seed_settings, env);

  const bool planning = app.got_subcommand("plan");
  const auto flags = planning ? given_flags(*plan, plan_texts, plan_switches) : given_flags(*run, run_texts, run_switches);
  const auto merged = scavenger::core::merge_sources(flags, {}, scavenger::core::options_from_environment(env));
  auto settings = scavenger::core::parse_run_settings(
      planning ? scavenger::core::run_command::plan : scavenger::core::run_command::run, merged);
  if (!settings) {
    std::fprintf(stderr, "scavenger: %s\n", settings.error().message.c_str());
    return 2;
  }
  try {
    return scavenger::app::run_command(*settings, env);
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "scavenger: internal error: %s\n", failure.what());
    return 1;
  }
}
