#include "scavenger/segment_cursor.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace scavenger::core {
namespace {

// Keys as Scan's LastEvaluatedKey: a raw AttributeValue JSON object.
std::string key(int n) { return R"({"WorkerId":{"N":")" + std::to_string(n) + R"("}})"; }

segment_progress fresh(int segment = 3) { return segment_progress({segment, "", false}); }

TEST(segment_progress, starts_at_the_segment_start) {
  const auto progress = fresh();
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, "", false}));
}

TEST(segment_progress, resumes_from_a_checkpointed_cursor) {
  segment_progress progress({3, key(7), false});
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(7), false}));
  const auto page = progress.begin_page(key(7), key(8), 1);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(7), false}));
  progress.settle(page);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(8), false}));
}

TEST(segment_progress, a_done_cursor_stays_done_and_takes_no_pages) {
  segment_progress progress({3, "", true});
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, "", true}));
  EXPECT_THROW(progress.begin_page("", "", 0), std::logic_error);
}

TEST(segment_progress, points_at_the_oldest_unsettled_page) {
  auto progress = fresh();
  const auto first = progress.begin_page("", key(1), 2);
  const auto second = progress.begin_page(key(1), key(2), 1);
  EXPECT_EQ(progress.cursor().start_key, "");  // nothing settled: from the segment start
  progress.settle(first);
  EXPECT_EQ(progress.cursor().start_key, "");  // one candidate of the first page still open
  progress.settle(first);
  EXPECT_EQ(progress.cursor().start_key, key(1));
  progress.settle(second);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(2), false}));  // reading continues there
}

TEST(segment_progress, settling_out_of_order_never_moves_past_an_unsettled_item) {
  auto progress = fresh();
  std::vector<page_token> pages;
  pages.push_back(progress.begin_page("", key(1), 1));
  for (int i = 1; i < 5; ++i) pages.push_back(progress.begin_page(key(i), key(i + 1), 1));
  // Later pages settle first: the cursor stays on the first page until it settles.
  for (int i = 4; i >= 1; --i) {
    progress.settle(pages[static_cast<std::size_t>(i)]);
    EXPECT_EQ(progress.cursor().start_key, "");
  }
  EXPECT_EQ(progress.pages_held(), 5u);
  progress.settle(pages[0]);
  // Everything read is settled: resume after the newest page, and nothing is held.
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(5), false}));
  EXPECT_EQ(progress.pages_held(), 0u);
}

TEST(segment_progress, a_middle_page_settling_first_keeps_the_cursor_on_the_oldest) {
  auto progress = fresh();
  const auto p1 = progress.begin_page("", key(1), 1);
  const auto p2 = progress.begin_page(key(1), key(2), 1);
  const auto p3 = progress.begin_page(key(2), key(3), 1);
  progress.settle(p2);
  EXPECT_EQ(progress.cursor().start_key, "");
  progress.settle(p1);
  EXPECT_EQ(progress.cursor().start_key, key(2));  // p2 is settled too, so p3's start
  progress.settle(p3);
  EXPECT_EQ(progress.cursor().start_key, key(3));
}

TEST(segment_progress, an_empty_page_with_a_last_evaluated_key_is_not_the_end) {
  auto progress = fresh();
  progress.begin_page("", key(1), 0);  // everything filtered out, but the segment goes on
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(1), false}));
  EXPECT_EQ(progress.pages_held(), 0u);
  const auto page = progress.begin_page(key(1), key(2), 1);
  progress.begin_page(key(2), key(3), 0);  // behind an unsettled page: held until that settles
  EXPECT_EQ(progress.cursor().start_key, key(1));
  progress.settle(page);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(3), false}));
}

TEST(segment_progress, finishes_when_the_last_page_is_read_and_settled) {
  auto progress = fresh();
  const auto first = progress.begin_page("", key(1), 1);
  const auto last = progress.begin_page(key(1), "", 2);
  EXPECT_FALSE(progress.cursor().done);
  progress.settle(last);
  progress.settle(last);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, "", false}));  // the first page still open
  progress.settle(first);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, "", true}));
  EXPECT_THROW(progress.begin_page("", "", 0), std::logic_error);
}

TEST(segment_progress, a_single_empty_last_page_finishes_at_once) {
  auto progress = fresh();
  progress.begin_page("", "", 0);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, "", true}));
}

TEST(segment_progress, an_unsettled_last_page_is_not_done) {
  auto progress = fresh();
  progress.begin_page("", key(1), 0);
  const auto last = progress.begin_page(key(1), "", 1);
  EXPECT_EQ(progress.cursor(), (segment_cursor{3, key(1), false}));
  progress.settle(last);
  EXPECT_TRUE(progress.cursor().done);
}

TEST(segment_progress, refuses_pages_out_of_order) {
  auto progress = fresh();
  progress.begin_page("", key(1), 1);
  EXPECT_THROW(progress.begin_page(key(2), key(3), 1), std::logic_error);  // a gap
  EXPECT_THROW(progress.begin_page("", key(1), 1), std::logic_error);      // a repeat
}

TEST(segment_progress, refuses_settling_more_than_a_page_holds) {
  auto progress = fresh();
  const auto page = progress.begin_page("", key(1), 1);
  const auto behind = progress.begin_page(key(1), key(2), 1);
  progress.settle(behind);
  EXPECT_THROW(progress.settle(behind), std::logic_error);  // held, but already settled
  progress.settle(page);
  EXPECT_THROW(progress.settle(page), std::logic_error);  // dropped
  EXPECT_THROW(progress.settle(page + 100), std::logic_error);  // never registered
}

TEST(segment_progress, memory_stays_bounded_when_pages_settle_in_order) {
  auto progress = fresh();
  std::string start;
  std::size_t most_held = 0;
  for (int i = 0; i < 100'000; ++i) {
    auto next = key(i + 1);
    const auto page = progress.begin_page(start, next, 2);
    progress.settle(page);
    most_held = std::max(most_held, progress.pages_held());
    progress.settle(page);
    start = std::move(next);
  }
  EXPECT_LE(most_held, 1u);
  EXPECT_EQ(progress.pages_held(), 0u);
  EXPECT_EQ(progress.cursor().start_key, key(100'000));
}

TEST(segment_progress, memory_stays_bounded_with_a_sliding_window_of_unsettled_pages) {
  // A pipeline with a few pages in flight: settle each page 8 pages after reading it.
  auto progress = fresh();
  std::vector<page_token> tokens;
  std::string start;
  std::size_t most_held = 0;
  for (int i = 0; i < 10'000; ++i) {
    auto next = key(i + 1);
    tokens.push_back(progress.begin_page(start, next, 1));
    start = std::move(next);
    if (tokens.size() > 8) progress.settle(tokens[tokens.size() - 9]);
    most_held = std::max(most_held, progress.pages_held());
  }
  EXPECT_LE(most_held, 9u);
  EXPECT_EQ(progress.cursor().start_key, key(10'000 - 8));
}

}  // namespace
}  // namespace scavenger::core
