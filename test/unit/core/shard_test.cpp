#include "scavenger/shard.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

TEST(parse_shard, reads_index_and_count) {
  EXPECT_EQ(parse_shard("0/1").value(), (shard{0, 1}));
  EXPECT_EQ(parse_shard("2/3").value(), (shard{2, 3}));
  EXPECT_EQ(parse_shard("15/16").value(), (shard{15, 16}));
  EXPECT_EQ(to_string(parse_shard("3/4").value()), "3/4");
}

TEST(parse_shard, refuses_malformed_text_naming_the_fix) {
  for (const char* text : {"", "1", "/", "0/", "/1", "1/1", "4/4", "5/4", "0/0", "-1/4", "+1/4", "1/-4", " 0/1",
                           "0/1 ", "0 /1", "0/1/2", "a/b", "1.0/2", "0x1/2", "99999999999/99999999999"}) {
    const auto parsed = parse_shard(text);
    ASSERT_FALSE(parsed) << '"' << text << '"';
    EXPECT_NE(parsed.error().message.find("I/N"), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.find('\n'), std::string::npos);
  }
}

TEST(owned_segments, one_shard_owns_every_segment) {
  EXPECT_EQ(owned_segments({0, 1}, 10).value(), (segment_range{0, 10}));
  EXPECT_EQ(owned_segments({0, 1}, 1).value(), (segment_range{0, 1}));
}

TEST(owned_segments, follows_the_floor_formula) {
  // [⌊I·T/N⌋, ⌊(I+1)·T/N⌋) for T = 10, N = 3: [0,3), [3,6), [6,10).
  EXPECT_EQ(owned_segments({0, 3}, 10).value(), (segment_range{0, 3}));
  EXPECT_EQ(owned_segments({1, 3}, 10).value(), (segment_range{3, 6}));
  EXPECT_EQ(owned_segments({2, 3}, 10).value(), (segment_range{6, 10}));
}

TEST(owned_segments, every_segment_is_owned_exactly_once) {
  for (const int total : {10, 17}) {
    for (const int count : {1, 3, 4}) {
      std::vector<int> owners(static_cast<std::size_t>(total), 0);
      int expected_first = 0;
      for (int index = 0; index < count; ++index) {
        const auto range = owned_segments({index, count}, total).value();
        EXPECT_EQ(range.first, expected_first) << index << "/" << count << " of " << total;  // contiguous
        EXPECT_GE(range.size(), total / count);  // balanced: sizes differ by at most one
        EXPECT_LE(range.size(), total / count + 1);
        for (int segment = range.first; segment < range.last; ++segment) ++owners[static_cast<std::size_t>(segment)];
        expected_first = range.last;
      }
      EXPECT_EQ(expected_first, total);
      for (int segment = 0; segment < total; ++segment) {
        EXPECT_EQ(owners[static_cast<std::size_t>(segment)], 1) << "segment " << segment << ", N = " << count << ", T = " << total;
      }
    }
  }
}

TEST(owned_segments, does_not_overflow_for_the_largest_segment_count) {
  EXPECT_EQ(owned_segments({4095, 4096}, 1'000'000).value().last, 1'000'000);
}

TEST(owned_segments, refuses_more_shards_than_segments) {
  const auto owned = owned_segments({0, 4}, 3);
  ASSERT_FALSE(owned);
  EXPECT_NE(owned.error().message.find("would own no segment"), std::string::npos) << owned.error().message;
  EXPECT_TRUE(owned_segments({0, 3}, 3));
}

TEST(owned_segments, refuses_a_nonpositive_segment_count_and_an_invalid_shard) {
  EXPECT_FALSE(owned_segments({0, 1}, 0));
  EXPECT_FALSE(owned_segments({0, 1}, max_total_segments + 1));
  EXPECT_FALSE(owned_segments({3, 3}, 10));
  EXPECT_FALSE(owned_segments({-1, 3}, 10));
}

}  // namespace
}  // namespace scavenger::core
