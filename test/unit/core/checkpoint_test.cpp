#include "scavenger/checkpoint.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "aws/rfc3339.hpp"
#include "json_object_assertions.hpp"

namespace scavenger::core {
namespace {

namespace fs = std::filesystem;

// A number key beyond a double's precision, a binary key and a UTF-8 (escaped and unescaped)
// string key: each must come back byte for byte.
constexpr std::string_view big_number_key = R"({"WorkerId":{"N":"12345678901234567890.123"},"StartTime":{"S":"2026-11-20T08:15:00Z"}})";
constexpr std::string_view binary_key = R"({"Id":{"B":"AAEC/+8="}})";
constexpr std::string_view utf8_key = R"({"Name":{"S":"bår \u00e9\"\\ 日本"}})";

checkpoint sample() {
  checkpoint saved;
  saved.table = "Workers";
  saved.total_segments = 10;
  saved.shard = {1, 2};  // segments 5 to 9
  saved.predicate.filter = "#Comp = :NCompl OR #Comp = :SCompl";
  saved.predicate.expression_attribute_names = R"({"#Comp":"Completed"})";
  saved.predicate.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"1"}})";
  saved.predicate.age_attribute = "StartExecutionTime";
  saved.predicate.age_format = "rfc3339";
  saved.predicate.cutoff = aws::parse_rfc3339("2026-11-24T12:00:00Z");
  saved.cursors = {{5, std::string(big_number_key), false},
                   {6, std::string(binary_key), false},
                   {7, std::string(utf8_key), false},
                   {8, "", true},
                   {9, "", false}};
  return saved;
}

class checkpoint_file : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("scavenger-checkpoint-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::string path(std::string_view name = "checkpoint.json") const { return (directory_ / name).string(); }

  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void write(const std::string& file, std::string_view text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  // Entries of the directory other than `name`: temporary files left behind.
  std::vector<std::string> others(std::string_view name = "checkpoint.json") const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(directory_)) {
      if (entry.path().filename() != name) found.push_back(entry.path().filename().string());
    }
    return found;
  }

  fs::path directory_;
};

TEST(checkpoint_json, has_the_spec_shape) {
  const auto text = to_json(sample());
  ASSERT_TRUE(testing::is_json_object(text));
  EXPECT_EQ(text.rfind(R"({"version":1,"table":"Workers","total_segments":10,"shard":"1/2","predicate":{)", 0), 0u)
      << text;
  EXPECT_NE(text.find(R"("predicate":{"filter":"#Comp = :NCompl OR #Comp = :SCompl",)"
                      R"("expression_attribute_names":{"#Comp":"Completed"},)"
                      R"("expression_attribute_values":{":NCompl":{"N":"1"},":SCompl":{"S":"1"}},)"
                      R"("age_attribute":"StartExecutionTime","age_format":"rfc3339",)"
                      R"("cutoff":"2026-11-24T12:00:00Z"},"cursors":[)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"({"segment":5,"start_key":{"WorkerId":{"N":"12345678901234567890.123"})"), std::string::npos);
  EXPECT_NE(text.find(R"({"segment":8,"start_key":null,"done":true},{"segment":9,"start_key":null,"done":false}]})"), std::string::npos);
}

TEST(checkpoint_json, writes_null_for_a_missing_filter_and_age_rule) {
  checkpoint saved;
  saved.table = "T";
  saved.cursors = {{0, "", false}};
  saved.predicate.expression_attribute_names.clear();  // empty means {}
  const auto text = to_json(saved);
  EXPECT_NE(text.find(R"("predicate":{"filter":null,"expression_attribute_names":{},)"
                      R"("expression_attribute_values":{},"age_attribute":null,"age_format":null,"cutoff":null})"),
            std::string::npos)
      << text;
  auto parsed = parse_checkpoint(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->predicate.filter, "");
  EXPECT_FALSE(parsed->predicate.cutoff);
  EXPECT_EQ(parsed->predicate.expression_attribute_names, "{}");
}

TEST(checkpoint_json, round_trips_start_keys_byte_for_byte) {
  const auto saved = sample();
  const auto parsed = parse_checkpoint(to_json(saved));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, saved);
  EXPECT_EQ(parsed->cursors[0].start_key, big_number_key);
  EXPECT_EQ(parsed->cursors[1].start_key, binary_key);
  EXPECT_EQ(parsed->cursors[2].start_key, utf8_key);
  EXPECT_EQ(to_json(*parsed), to_json(saved));
}

TEST(checkpoint_json, keeps_the_whitespace_inside_embedded_json) {
  // On-Demand gives back the stored text, not a re-serialisation of it.
  const std::string text = R"({"version":1,"table":"T","total_segments":2,"shard":"0/1",)"
                           R"("predicate":{"filter":null,"expression_attribute_names":{ "#a" : "b" },)"
                           R"("expression_attribute_values":{},"age_attribute":null,"age_format":null,"cutoff":null},)"
                           R"("cursors":[{"segment":1,"start_key":{ "K" : {"N":"1.50"} },"done":false},)"
                           R"({"segment":0,"start_key":null,"done":true}]})";
  const auto parsed = parse_checkpoint(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->cursors.at(0).start_key, R"({ "K" : {"N":"1.50"} })");
  EXPECT_EQ(parsed->predicate.expression_attribute_names, R"({ "#a" : "b" })");
}

TEST(checkpoint_json, reads_fields_in_any_order_and_ignores_unknown_ones) {
  const std::string text = R"({"cursors":[{"done":true,"start_key":null,"segment":0}],"future":[1,{"x":2}],)"
                           R"("predicate":{"cutoff":null,"age_format":null,"age_attribute":null,)"
                           R"("expression_attribute_values":{},"expression_attribute_names":{},"filter":"a = b"},)"
                           R"("shard":"0/1","total_segments":1,"table":"T","version":1})";
  const auto parsed = parse_checkpoint(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->predicate.filter, "a = b");
  EXPECT_EQ(parsed->cursors, (std::vector<segment_cursor>{{0, "", true}}));
}

// Replaces the first occurrence of `from` in the sample's text.
std::string sample_with(std::string_view from, std::string_view to) {
  auto text = to_json(sample());
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

void expect_parse_error(const std::string& text, std::string_view expected) {
  const auto parsed = parse_checkpoint(text);
  ASSERT_FALSE(parsed) << text;
  EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
  EXPECT_EQ(parsed.error().message.find('\n'), std::string::npos) << parsed.error().message;
}

TEST(checkpoint_json, names_each_problem) {
  expect_parse_error("", "not valid JSON");
  expect_parse_error("{\"version\":1", "not valid JSON");
  expect_parse_error(to_json(sample()) + " x", "not valid JSON");
  expect_parse_error("[1]", "not a JSON object");
  expect_parse_error(sample_with(R"("version":1)", R"("version":2)"), "version 2");
  expect_parse_error(sample_with(R"("version":1,)", ""), R"(no "version" field)");
  expect_parse_error(sample_with(R"("table":"Workers",)", ""), R"(no "table" field)");
  expect_parse_error(sample_with(R"("total_segments":10,)", ""), R"(no "total_segments" field)");
  expect_parse_error(sample_with(R"("shard":"1/2",)", ""), R"(no "shard" field)");
  expect_parse_error(sample_with(R"("age_format":"rfc3339",)", ""), R"(no "predicate.age_format" field)");
  expect_parse_error(sample_with(R"(,"done":true)", ""), R"(no "cursors[].done" field)");
  expect_parse_error(sample_with(R"("cursors":[)", R"("cursorz":[)"), R"(no "cursors" field)");
  expect_parse_error(sample_with(R"("table":"Workers")", R"("table":7)"), R"("table" is not a string)");
  expect_parse_error(sample_with(R"("total_segments":10)", R"("total_segments":0)"), "total_segments");
  expect_parse_error(sample_with(R"("shard":"1/2")", R"("shard":"2/2")"), "shard");
  expect_parse_error(sample_with("2026-11-24T12:00:00Z", "yesterday"), "predicate.cutoff");
  expect_parse_error(sample_with(R"("start_key":null)", R"("start_key":"k")"), "cursors[].start_key");
  expect_parse_error(sample_with(R"("segment":9)", R"("segment":10)"), "segment 10, which shard 1/2 of 10");
  expect_parse_error(sample_with(R"("segment":9)", R"("segment":4)"), "segment 4, which shard 1/2");
  expect_parse_error(sample_with(R"("segment":9)", R"("segment":8)"), "two cursors for segment 8");
  expect_parse_error(sample_with(R"(,{"segment":9,"start_key":null,"done":false})", ""), "no cursor for segment 9");
  expect_parse_error(sample_with(R"("total_segments":10)", R"("total_segments":1)"), "more shards than segments");
}

TEST_F(checkpoint_file, saves_and_loads) {
  ASSERT_TRUE(save_checkpoint(path(), sample()));
  const auto loaded = load_checkpoint(path());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, sample());
  EXPECT_EQ(read(path()), to_json(sample()) + "\n");
  EXPECT_TRUE(others().empty());  // no temporary file left
}

TEST_F(checkpoint_file, replaces_an_older_checkpoint) {
  write(path(), "old");
  ASSERT_TRUE(save_checkpoint(path(), sample()));
  EXPECT_EQ(read(path()), to_json(sample()) + "\n");
  EXPECT_TRUE(others().empty());
}

TEST_F(checkpoint_file, keeps_the_old_checkpoint_when_the_temporary_file_cannot_be_written) {
  ASSERT_TRUE(save_checkpoint(path(), sample()));
  const auto before = read(path());
  // A directory where the temporary file would go: creating it fails (even for root).
  fs::create_directory(path() + ".tmp." + std::to_string(::getpid()));
  auto changed = sample();
  changed.cursors[0].start_key = std::string(binary_key);
  const auto saved = save_checkpoint(path(), changed);
  ASSERT_FALSE(saved);
  EXPECT_NE(saved.error().message.find("cannot create"), std::string::npos) << saved.error().message;
  EXPECT_EQ(read(path()), before);
}

TEST_F(checkpoint_file, leaves_no_temporary_file_when_the_rename_fails) {
  // The target is a non-empty directory: rename cannot replace it.
  fs::create_directories(directory_ / "checkpoint.json" / "inside");
  const auto saved = save_checkpoint(path(), sample());
  ASSERT_FALSE(saved);
  EXPECT_NE(saved.error().message.find("cannot replace"), std::string::npos) << saved.error().message;
  EXPECT_TRUE(others().empty());
  EXPECT_TRUE(fs::is_directory(path()));
}

TEST_F(checkpoint_file, reports_a_missing_directory) {
  EXPECT_FALSE(save_checkpoint(path("missing/checkpoint.json"), sample()));
}

TEST_F(checkpoint_file, load_errors_name_the_file) {
  const auto missing = load_checkpoint(path("absent.json"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find(path("absent.json")), std::string::npos);
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos) << missing.error().message;

  write(path(), "not json");
  const auto damaged = load_checkpoint(path());
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().message.rfind("checkpoint " + path() + ": not valid JSON", 0), 0u)
      << damaged.error().message;

  write(path(), sample_with(R"("version":1)", R"("version":7)"));
  const auto version = load_checkpoint(path());
  ASSERT_FALSE(version);
  EXPECT_NE(version.error().message.find("version 7"), std::string::npos);

  const auto directory = load_checkpoint(directory_.string());
  EXPECT_FALSE(directory);
}

TEST(checkpoint_compatible, accepts_the_same_settings_and_ignores_cursors_and_whitespace) {
  auto wanted = sample();
  wanted.cursors.clear();
  wanted.predicate.expression_attribute_names = R"({ "#Comp" : "Completed" })";
  EXPECT_EQ(compatible(sample(), wanted), std::nullopt);
}

TEST(checkpoint_compatible, names_each_field_that_differs) {
  struct change {
    std::string_view field;
    void (*apply)(checkpoint&);
  };
  const change changes[] = {
      {"table differs", [](checkpoint& c) { c.table = "Other"; }},
      {"total_segments differs", [](checkpoint& c) { c.total_segments = 12; }},
      {"shard differs", [](checkpoint& c) { c.shard = {0, 2}; }},
      {"predicate.filter differs", [](checkpoint& c) { c.predicate.filter = "#Comp = :NCompl"; }},
      {"predicate.expression_attribute_names differs",
       [](checkpoint& c) { c.predicate.expression_attribute_names = R"({"#Comp":"Done"})"; }},
      {"predicate.expression_attribute_values differs",
       [](checkpoint& c) { c.predicate.expression_attribute_values = R"({":NCompl":{"N":"1"},":SCompl":{"S":"2"}})"; }},
      {"predicate.age_attribute differs", [](checkpoint& c) { c.predicate.age_attribute = "EndTime"; }},
      {"predicate.age_format differs", [](checkpoint& c) { c.predicate.age_format = "epoch-seconds"; }},
      {"predicate.cutoff differs", [](checkpoint& c) { c.predicate.cutoff = aws::parse_rfc3339("2026-11-25T00:00:00Z"); }},
      {"predicate.cutoff differs", [](checkpoint& c) { c.predicate.cutoff.reset(); }},
  };
  for (const auto& [field, apply] : changes) {
    auto wanted = sample();
    apply(wanted);
    const auto reason = compatible(sample(), wanted);
    ASSERT_TRUE(reason) << field;
    EXPECT_EQ(reason->rfind(field, 0), 0u) << *reason;
    EXPECT_EQ(reason->find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace scavenger::core
