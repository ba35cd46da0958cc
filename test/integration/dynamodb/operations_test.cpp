// Every typed operation against both emulators.
#include <set>

#include "emulator_test.hpp"

namespace scavenger::test {
namespace {

using dynamodb::item;

class operations : public emulator_test {};

item worker(int id, const std::string& start, const std::string& completed_json) {
  return {{"WorkerId", R"({"N":")" + std::to_string(id) + R"("})"},
          {"StartTime", R"({"S":")" + start + R"("})"},
          {"Completed", completed_json}};
}

TEST_P(operations, create_describe_and_delete_a_table) {
  auto table = create_table({{"WorkerId", "N"}, dynamodb::key_attribute{"StartTime", "S"}});
  auto described = await(client_->describe_table(table));
  ASSERT_TRUE(described) << dynamodb::describe(described.error());
  EXPECT_EQ(described->name, table);
  EXPECT_EQ(described->status, "ACTIVE");
  EXPECT_EQ(described->keys.partition, (dynamodb::key_attribute{"WorkerId", "N"}));
  ASSERT_TRUE(described->keys.sort);
  EXPECT_EQ(described->keys.sort->name, "StartTime");

  ASSERT_TRUE(await(client_->delete_table(table)));
  tables_.clear();
  // Deletion may be asynchronous (dynalite): the table is gone or going.
  auto after = await(client_->describe_table(table));
  if (after) {
    EXPECT_EQ(after->status, "DELETING");
  } else {
    EXPECT_TRUE(after.error().is("ResourceNotFoundException")) << dynamodb::describe(after.error());
  }
}

TEST_P(operations, put_get_scan_and_delete_items) {
  auto table = create_table({{"WorkerId", "N"}, dynamodb::key_attribute{"StartTime", "S"}});
  ASSERT_TRUE(await(client_->put_item({table, worker(1, "a", R"({"N":"1"})")})));
  ASSERT_TRUE(await(client_->put_item({table, worker(2, "b", R"({"S":"1"})")})));
  ASSERT_TRUE(await(client_->put_item({table, worker(3, "c", R"({"N":"0"})")})));

  auto got = await(client_->get_item({table, {{"WorkerId", R"({"N":"2"})"}, {"StartTime", R"({"S":"b"})"}}, true}));
  ASSERT_TRUE(got) << dynamodb::describe(got.error());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(dynamodb::find_attribute(**got, "Completed"), std::optional<std::string_view>(R"({"S":"1"})"));

  dynamodb::scan_request filtered;
  filtered.table = table;
  filtered.filter_expression = "#Comp = :NCompl OR #Comp = :SCompl";
  filtered.expression_attribute_names = R"({"#Comp":"Completed"})";
  filtered.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
  filtered.projection_expression = "WorkerId, StartTime";
  auto pages = scan_pages(filtered);
  std::set<std::string> ids;
  std::int64_t scanned = 0;
  for (const auto& page : pages) {
    scanned += page.scanned_count;
    for (const auto& entry : page.items) {
      EXPECT_EQ(entry.size(), 2u) << "the projection returns only the key";
      ids.insert(std::string(*dynamodb::find_attribute(entry, "WorkerId")));
    }
  }
  EXPECT_EQ(scanned, 3);
  EXPECT_EQ(ids, (std::set<std::string>{R"({"N":"1"})", R"({"N":"2"})"}));

  auto removed = await(client_->delete_item({table, {{"WorkerId", R"({"N":"1"})"}, {"StartTime", R"({"S":"a"})"}}, "", "", "", true}));
  ASSERT_TRUE(removed) << dynamodb::describe(removed.error());
  auto gone = await(client_->get_item({table, {{"WorkerId", R"({"N":"1"})"}, {"StartTime", R"({"S":"a"})"}}, true}));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_P(operations, conditional_delete_fails_when_the_item_changed) {
  auto table = create_table({{"WorkerId", "N"}, dynamodb::key_attribute{"StartTime", "S"}});
  ASSERT_TRUE(await(client_->put_item({table, worker(7, "x", R"({"N":"0"})")})));
  dynamodb::delete_item_request request{table,
                                        {{"WorkerId", R"({"N":"7"})"}, {"StartTime", R"({"S":"x"})"}},
                                        "#Comp = :one",
                                        R"({"#Comp":"Completed"})",
                                        R"({":one":{"N":"1"}})",
                                        true};
  auto refused = await(client_->delete_item(request));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is("ConditionalCheckFailedException")) << dynamodb::describe(refused.error());
  EXPECT_FALSE(refused.error().retryable());
  EXPECT_EQ(refused.error().attempts, 1);

  ASSERT_TRUE(await(client_->put_item({table, worker(7, "x", R"({"N":"1"})")})));
  auto accepted = await(client_->delete_item(request));
  ASSERT_TRUE(accepted) << dynamodb::describe(accepted.error());
  EXPECT_EQ(client_->counters().delete_item, 2u);
}

TEST_P(operations, batch_write_puts_and_deletes) {
  auto table = create_table({{"id", "S"}, std::nullopt});
  std::vector<item> items;
  for (int i = 0; i < 60; ++i) items.push_back({{"id", R"({"S":"k)" + std::to_string(i) + R"("})"}});
  put_all(table, items);
  dynamodb::scan_request all;
  all.table = table;
  EXPECT_EQ(scan_all(all).size(), 60u);

  std::vector<dynamodb::write_request> deletes;
  for (int i = 0; i < 60; i += 2) deletes.push_back({dynamodb::write_request::kind::remove, items[static_cast<std::size_t>(i)]});
  write_all(table, std::move(deletes));
  auto left = scan_all(all);
  EXPECT_EQ(left.size(), 30u);
  for (const auto& entry : left) {
    const auto id = std::string(*dynamodb::find_attribute(entry, "id"));
    const int number = std::stoi(id.substr(7));
    EXPECT_EQ(number % 2, 1) << id << " should have been deleted";
  }
}

TEST_P(operations, consumed_capacity_is_reported) {
  auto table = create_table({{"id", "S"}, std::nullopt});
  put_all(table, {{{"id", R"({"S":"a"})"}}});
  dynamodb::scan_request request;
  request.table = table;
  auto page = await(client_->scan(request));
  ASSERT_TRUE(page);
  EXPECT_GT(page->consumed_capacity, 0.0);
  auto removed = await(client_->delete_item({table, {{"id", R"({"S":"a"})"}}, "", "", "", true}));
  ASSERT_TRUE(removed);
  EXPECT_GT(removed->consumed_capacity, 0.0);
}

SCAVENGER_ON_BOTH_EMULATORS(operations);

}  // namespace
}  // namespace scavenger::test
