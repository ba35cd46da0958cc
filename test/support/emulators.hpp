#pragma once
// Endpoints of the emulators that scripts/test-emulators.sh started for the integration tests
// (CTest fixture "emulators"). Read from the file named by SCAVENGER_TEST_EMULATORS.

#include <string>
#include <vector>

namespace scavenger::test {

struct emulator_endpoints {
  std::string dynamodb_local;           // http://127.0.0.1:P  (DynamoDB Local, -inMemory -sharedDb)
  std::string dynalite;                 // http://127.0.0.1:P
  std::string dynalite_tls;             // https://127.0.0.1:P, certificate for IP 127.0.0.1 signed by test_ca
  std::string dynalite_tls_wrong_host;  // https://127.0.0.1:P, certificate for DNS wrong.example signed by test_ca
  std::string test_ca;                  // PEM file of the CA that signed both TLS certificates
};

// Throws when the endpoints file is missing or incomplete: a missing emulator is a failure, never a skip.
const emulator_endpoints& emulators();

// The two plain-HTTP emulators, for tests parameterised over both. Parameters are names, not
// URLs: gtest_discover_tests lists the tests before the emulators run.
enum class emulator { dynamodb_local, dynalite };
std::string url_of(emulator which);
std::string name_of(emulator which);  // usable in test names
inline const std::vector<emulator> all_emulators{emulator::dynamodb_local, emulator::dynalite};

}  // namespace scavenger::test
