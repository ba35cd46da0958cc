#pragma once
// Test helper: whether a text is one valid JSON object, checked by simdjson's DOM parser (the
// whole text, trailing content included).

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace scavenger::core::testing {

inline ::testing::AssertionResult is_json_object(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto code = parser.parse(text.data(), text.size()).get(root)) {
    return ::testing::AssertionFailure() << "not valid JSON (" << simdjson::error_message(code) << "): " << text;
  }
  if (!root.is_object()) return ::testing::AssertionFailure() << "not a JSON object: " << text;
  return ::testing::AssertionSuccess();
}

}  // namespace scavenger::core::testing
