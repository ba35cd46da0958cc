#pragma once
// A setting the user got wrong (SPEC §7: exit code 2, nothing sent to the table).
//
// Thread safety: a plain value.

#include <boost/assert/source_location.hpp>
#include <stdexcept>
#include <string>

namespace scavenger::core {

// One line: what is wrong, quoting the offending input, and how to fix it.
struct config_error {
  std::string message;
};

// Found by argument-dependent lookup, so that result<T, config_error>::value() throws
// std::runtime_error(message) on an error, as result<T, error_code>::value() throws system_error.
[[noreturn]] inline void throw_exception_from_error(const config_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

}  // namespace scavenger::core
