#pragma once
// Read access to environment variables, injectable so that tests never touch the process's own.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scavenger::aws {

class environment {
 public:
  virtual ~environment() = default;
  // The variable's value; an empty value counts as unset, as the AWS SDKs treat it.
  virtual std::optional<std::string> get(std::string_view name) const = 0;
};

// The real process environment (getenv).
const environment& process_environment();

// A fixed set of variables, for tests.
class map_environment final : public environment {
 public:
  map_environment() = default;
  explicit map_environment(std::map<std::string, std::string, std::less<>> values) : values_(std::move(values)) {}
  std::optional<std::string> get(std::string_view name) const override;
  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace scavenger::aws
