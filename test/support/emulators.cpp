#include "support/emulators.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace scavenger::test {

namespace {

emulator_endpoints load() {
  const char* path = std::getenv("SCAVENGER_TEST_EMULATORS");
  if (path == nullptr || *path == '\0') {
    throw std::runtime_error(
        "SCAVENGER_TEST_EMULATORS is not set: run integration tests through ctest (the 'emulators' fixture "
        "starts them), or start them with scripts/test-emulators.sh start DIR and point it at DIR/endpoints.env");
  }
  std::ifstream file(path);
  if (!file) throw std::runtime_error(std::string("cannot read emulator endpoints from ") + path);
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(file, line);) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  auto required = [&](const std::string& name) {
    auto found = values.find(name);
    if (found == values.end() || found->second.empty()) {
      throw std::runtime_error(name + " missing from " + std::string(path));
    }
    return found->second;
  };
  return {required("DYNAMODB_LOCAL"), required("DYNALITE"), required("DYNALITE_TLS"),
          required("DYNALITE_TLS_WRONG_HOST"), required("TEST_CA")};
}

}  // namespace

const emulator_endpoints& emulators() {
  static const emulator_endpoints endpoints = load();
  return endpoints;
}

std::string url_of(emulator which) {
  return which == emulator::dynamodb_local ? emulators().dynamodb_local : emulators().dynalite;
}

std::string name_of(emulator which) { return which == emulator::dynamodb_local ? "dynamodb_local" : "dynalite"; }

}  // namespace scavenger::test
