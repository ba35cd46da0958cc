#pragma once
// FUZZ_CHECK(condition, detail): a property the code under test must keep. A broken one aborts,
// which libFuzzer records as a crash with the input that broke it. `detail` (a std::string or
// anything convertible to std::string_view) is evaluated only when the check fails.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace scavenger::fuzz {

// Prints `detail` with bytes other than printable ASCII and line feeds as \xNN, so that NULs
// and control characters in the input stay visible.
[[noreturn]] inline void fail(const char* file, int line, const char* condition, std::string_view detail) {
  std::fprintf(stderr, "%s:%d: property broken: %s\n  ", file, line, condition);
  for (const char c : detail) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || (byte >= 0x20 && byte < 0x7f)) {
      std::fputc(c, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", byte);
    }
  }
  std::fputc('\n', stderr);
  std::abort();
}

// The fuzzer's bytes as text (they may hold any byte, NUL included).
inline std::string_view as_text(const unsigned char* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace scavenger::fuzz

#define FUZZ_CHECK(condition, detail)                                             \
  do {                                                                            \
    if (!(condition)) ::scavenger::fuzz::fail(__FILE__, __LINE__, #condition, detail); \
  } while (false)
