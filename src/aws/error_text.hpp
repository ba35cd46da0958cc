#pragma once
// error_text: returns a message as the error of a boost::system::result<T, std::string>.
// result refuses to guess the side of a bare std::string when T could be built from one
// (T = std::string, std::optional<std::string>, or an aggregate that starts with a string), so
// `return error_text{"..."};` says which side is meant. Internal to src/aws.

#include <string>
#include <utility>

#include <boost/system/result.hpp>

namespace scavenger::aws {

struct error_text {
  std::string message;

  template <class T>
  operator boost::system::result<T, std::string>() && {  // NOLINT(google-explicit-constructor): the point
    return {boost::system::in_place_error, std::move(message)};
  }
};

}  // namespace scavenger::aws
