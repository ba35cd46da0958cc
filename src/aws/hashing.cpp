#include "aws/hashing.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace scavenger::aws {
namespace {

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("OpenSSL: ") + what + " failed"); }

struct md_deleter {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct mac_deleter {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

// Fetched once per process (OpenSSL 3 "explicit fetching"): the implicit fetch behind
// EVP_sha256() and the one-shot helpers looks the algorithm up again on every call.
const EVP_MD* sha256_md() {
  static const std::unique_ptr<EVP_MD, md_deleter> md{EVP_MD_fetch(nullptr, "SHA256", nullptr)};
  if (!md) fail("EVP_MD_fetch(SHA256)");
  return md.get();
}

EVP_MD_CTX* thread_digest_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, md_deleter> ctx{EVP_MD_CTX_new()};
  if (!ctx) fail("EVP_MD_CTX_new");
  return ctx.get();
}

// A thread's HMAC context with its digest already set, so that each MAC only sets the key.
EVP_MAC_CTX* thread_hmac_context() {
  static const std::unique_ptr<EVP_MAC, mac_deleter> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
  if (!mac) fail("EVP_MAC_fetch(HMAC)");
  thread_local const std::unique_ptr<EVP_MAC_CTX, mac_deleter> ctx = [] {
    std::unique_ptr<EVP_MAC_CTX, mac_deleter> created{EVP_MAC_CTX_new(mac.get())};
    if (!created) fail("EVP_MAC_CTX_new");
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(created.get(), params) != 1) fail("EVP_MAC_CTX_set_params(SHA256)");
    return created;
  }();
  return ctx.get();
}

}  // namespace

sha256_digest sha256(std::string_view data) {
  EVP_MD_CTX* ctx = thread_digest_context();
  sha256_digest digest;
  unsigned int length = 0;
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1 || EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest.data(), &length) != 1 || length != digest.size()) {
    fail("SHA-256");
  }
  return digest;
}

sha256_digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data) {
  EVP_MAC_CTX* ctx = thread_hmac_context();
  // A null key tells EVP_MAC_init to keep the previous key; an empty key must still replace it.
  static constexpr std::uint8_t no_key_bytes[1] = {0};
  const std::uint8_t* key_bytes = key.empty() ? no_key_bytes : key.data();
  sha256_digest digest;
  std::size_t length = 0;
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, digest.data(), &length, digest.size()) != 1 || length != digest.size()) {
    fail("HMAC-SHA256");
  }
  return digest;
}

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_sha256(std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()), data);
}

void write_hex(std::span<const std::uint8_t> bytes, char* out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  for (const std::uint8_t byte : bytes) {
    *out++ = digits[byte >> 4];
    *out++ = digits[byte & 0x0f];
  }
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string hex(bytes.size() * 2, '\0');
  write_hex(bytes, hex.data());
  return hex;
}

std::string hex_sha256(std::string_view data) { return to_hex(sha256(data)); }

}  // namespace scavenger::aws
