#include "aws/environment.hpp"

#include <cstdlib>

namespace scavenger::aws {
namespace {

// getenv is safe to call from any thread as long as nothing calls setenv/putenv concurrently;
// scavenger never modifies its own environment.
class process_environment_impl final : public environment {
 public:
  std::optional<std::string> get(std::string_view name) const override {
    const std::string key(name);  // getenv needs a terminated string
    const char* value = std::getenv(key.c_str());
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  }
};

}  // namespace

const environment& process_environment() {
  static const process_environment_impl instance;
  return instance;
}

std::optional<std::string> map_environment::get(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace scavenger::aws
