// Parallel Scan as DynamoDB defines it: segments are disjoint and cover the table, and a scan
// ends only when LastEvaluatedKey is absent, however many pages the filter left empty.
#include <map>
#include <set>

#include "emulator_test.hpp"

namespace scavenger::test {
namespace {

constexpr int table_items = 5000;

class segments : public emulator_test {
 protected:
  // One table for the whole suite per emulator would be faster, but each test owns its table
  // so that tests stay independent under `ctest -j`.
  std::string make_table() {
    auto table = create_table({{"id", "N"}, std::nullopt});
    std::vector<dynamodb::item> items;
    items.reserve(table_items);
    for (int i = 0; i < table_items; ++i) {
      items.push_back({{"id", R"({"N":")" + std::to_string(i) + R"("})"}, {"pad", R"({"S":"0123456789"})"}});
    }
    put_all(table, items);
    return table;
  }

  void expect_disjoint_cover(const std::string& table, int total_segments) {
    std::map<std::string, int> segment_of;
    for (int segment = 0; segment < total_segments; ++segment) {
      dynamodb::scan_request request;
      request.table = table;
      request.segment = segment;
      request.total_segments = total_segments;
      request.limit = 700;  // several pages per segment
      for (const auto& entry : scan_all(request)) {
        const auto id = std::string(*dynamodb::find_attribute(entry, "id"));
        auto [where, inserted] = segment_of.emplace(id, segment);
        EXPECT_TRUE(inserted) << id << " returned by segments " << where->second << " and " << segment;
      }
    }
    EXPECT_EQ(segment_of.size(), static_cast<std::size_t>(table_items));
  }
};

TEST_P(segments, one_segment_covers_the_table) { expect_disjoint_cover(make_table(), 1); }

TEST_P(segments, two_segments_are_disjoint_and_cover_the_table) { expect_disjoint_cover(make_table(), 2); }

TEST_P(segments, seventeen_segments_are_disjoint_and_cover_the_table) { expect_disjoint_cover(make_table(), 17); }

TEST_P(segments, paging_continues_through_pages_the_filter_left_empty) {
  auto table = make_table();
  dynamodb::scan_request request;
  request.table = table;
  request.limit = 100;
  request.filter_expression = "id = :rare";  // one item in the whole table
  request.expression_attribute_values = R"({":rare":{"N":"4321"}})";
  auto pages = scan_pages(request);

  std::int64_t scanned = 0;
  std::size_t empty_pages_with_key = 0;
  std::vector<dynamodb::item> found;
  for (const auto& page : pages) {
    scanned += page.scanned_count;
    if (page.items.empty() && !page.last_evaluated_key.empty()) ++empty_pages_with_key;
    for (const auto& entry : page.items) found.push_back(entry);
  }
  EXPECT_GE(pages.size(), static_cast<std::size_t>(table_items / 100));
  EXPECT_GE(empty_pages_with_key, static_cast<std::size_t>(table_items / 100 - 2));
  EXPECT_EQ(scanned, table_items);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(*dynamodb::find_attribute(found[0], "id"), R"({"N":"4321"})");
}

SCAVENGER_ON_BOTH_EMULATORS(segments);

}  // namespace
}  // namespace scavenger::test
