// SHA-256 and HMAC-SHA256 against FIPS 180-4 and RFC 4231 vectors, and their per-thread contexts.

#include "aws/hashing.hpp"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace scavenger::aws {
namespace {

TEST(hashing, sha256_matches_known_digests) {
  EXPECT_EQ(hex_sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(hashing, hmac_sha256_matches_rfc_4231) {
  // Test case 2: a key shorter than the block.
  EXPECT_EQ(to_hex(hmac_sha256(std::string_view("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block is hashed first.
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(to_hex(hmac_sha256(long_key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(hashing, an_empty_key_replaces_the_previous_one) {
  // The thread's HMAC context still holds "Jefe" from this call when the empty key comes.
  (void)hmac_sha256(std::string_view("Jefe"), "x");
  EXPECT_EQ(to_hex(hmac_sha256(std::string_view(""), "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(hashing, hex_is_lower_case_two_digits_a_byte) {
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(to_hex(bytes), "000fa0ff");
  EXPECT_EQ(to_hex(std::span<const std::uint8_t>{}), "");
}

TEST(hashing, threads_hash_concurrently_with_their_own_contexts) {
  const std::string expected_sha = hex_sha256("payload");
  const std::string expected_mac = to_hex(hmac_sha256(std::string_view("key"), "payload"));
  constexpr int thread_count = 4;
  constexpr int rounds = 2000;
  std::vector<int> mismatches(thread_count, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        if (hex_sha256("payload") != expected_sha) ++mismatches[static_cast<std::size_t>(t)];
        if (to_hex(hmac_sha256(std::string_view("key"), "payload")) != expected_mac) {
          ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(thread_count, 0));
}

}  // namespace
}  // namespace scavenger::aws
