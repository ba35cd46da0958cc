// Keys go out exactly as they came in: a number beyond double precision, a binary value and a
// UTF-8 string with characters JSON must escape all survive Scan -> DeleteItem / BatchWriteItem.
#include "emulator_test.hpp"

namespace scavenger::test {
namespace {

struct key_case {
  const char* type;
  std::vector<std::string> values;  // raw AttributeValue JSON
};

const std::vector<key_case> key_cases{
    {"N", {R"({"N":"12345678901234567890.123"})", R"({"N":"-0.000000000000000000000000000000000001"})", R"({"N":"99999999999999999999999999999999999999"})"}},
    {"B", {R"({"B":"AAECAwQF/w=="})", R"({"B":"3q2+7w=="})"}},
    {"S", {R"({"S":"b\u00e5r \u1234 \ud83d\ude00"})", "{\"S\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}", R"({"S":"quote \" backslash \\ tab \t slash \/"})"}},
};

class keys : public emulator_test {
 protected:
  // Puts each key, reads the keys back through Scan, then deletes with what Scan returned.
  void round_trip(bool batch) {
    for (const auto& key : key_cases) {
      SCOPED_TRACE(key.type);
      auto table = create_table({{"k", key.type}, std::nullopt});
      for (const auto& value : key.values) {
        auto put = await(client_->put_item({table, {{"k", value}, {"payload", R"({"S":"x"})"}}}));
        ASSERT_TRUE(put) << value << ": " << dynamodb::describe(put.error());
      }
      dynamodb::scan_request request;
      request.table = table;
      request.projection_expression = "k";
      auto scanned = scan_all(request);
      ASSERT_EQ(scanned.size(), key.values.size());

      if (batch) {
        std::vector<dynamodb::write_request> deletes;
        for (const auto& entry : scanned) deletes.push_back({dynamodb::write_request::kind::remove, entry});
        write_all(table, std::move(deletes));
      } else {
        for (const auto& entry : scanned) {
          // The condition proves the key addressed the stored item, not a new empty one.
          auto removed = await(client_->delete_item({table, entry, "attribute_exists(payload)", "", "", true}));
          ASSERT_TRUE(removed) << dynamodb::to_json(entry) << ": " << dynamodb::describe(removed.error());
        }
      }
      dynamodb::scan_request all;
      all.table = table;
      EXPECT_TRUE(scan_all(all).empty()) << "a key did not survive the round trip";
    }
  }
};

TEST_P(keys, survive_scan_then_delete_item) { round_trip(false); }

TEST_P(keys, survive_scan_then_batch_write_item) { round_trip(true); }

TEST_P(keys, a_large_number_key_is_returned_digit_for_digit) {
  auto table = create_table({{"k", "N"}, std::nullopt});
  ASSERT_TRUE(await(client_->put_item({table, {{"k", R"({"N":"12345678901234567890.123"})"}}})));
  dynamodb::scan_request request;
  request.table = table;
  auto scanned = scan_all(request);
  ASSERT_EQ(scanned.size(), 1u);
  EXPECT_EQ(*dynamodb::find_attribute(scanned[0], "k"), R"({"N":"12345678901234567890.123"})");
}

SCAVENGER_ON_BOTH_EMULATORS(keys);

}  // namespace
}  // namespace scavenger::test
