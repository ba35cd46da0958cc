#pragma once
// DynamoDB clients and throw-away tables for integration tests against the emulators.

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "aws/credentials.hpp"
#include "dynamodb/client.hpp"

namespace scavenger::test {

// Fixed credentials (the emulators check no signature, but every request is signed).
std::unique_ptr<aws::credentials_provider> static_credentials(std::string access_key = "AKIDSCAVENGERTEST",
                                                              std::string secret_key = "scavenger-test-secret");

dynamodb::client_config client_config_for(const std::string& endpoint_url);

// A table name unique to this process and call: tests share one emulator and may run in parallel.
std::string unique_table_name(const std::string& prefix);

}  // namespace scavenger::test
