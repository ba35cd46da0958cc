#pragma once
// SHA-256, HMAC-SHA256 and lower-case hex, the primitives of SigV4, on OpenSSL's EVP API.
//
// Thread-safety: every function is safe to call from any thread. Each thread keeps its own
// OpenSSL digest and MAC contexts (created on first use) so that a call allocates nothing:
// the one-shot SHA256()/HMAC() helpers re-fetch the algorithm on every call, which costs
// more than hashing a whole DynamoDB request. A failure inside OpenSSL (out of memory, no
// default provider) is unexpected and throws std::runtime_error.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace scavenger::aws {

using sha256_digest = std::array<std::uint8_t, 32>;

sha256_digest sha256(std::string_view data);

// HMAC-SHA256 (RFC 2104) of `data` under `key`.
sha256_digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data);
sha256_digest hmac_sha256(std::string_view key, std::string_view data);

// Writes 2 * bytes.size() lower-case hex digits at `out` (no terminator).
void write_hex(std::span<const std::uint8_t> bytes, char* out) noexcept;
std::string to_hex(std::span<const std::uint8_t> bytes);

// Lower-case hex of SHA-256: SigV4's "HexEncode(Hash(...))".
std::string hex_sha256(std::string_view data);

}  // namespace scavenger::aws
