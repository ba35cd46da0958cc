// Every response parser of src/dynamodb on the same bytes: Scan, GetItem, DeleteItem,
// BatchWriteItem (table "Workers"), DescribeTable, and an error response. A response body comes
// from the network, so no input may crash them or throw; malformed ones are parse_errors.
//
// Checked on what they accept:
// - the values are consistent: Count equals the items, consumed capacity is finite and not
//   negative, a table has a partition key and a billing mode, an error type has no namespace;
// - items and keys survive the trip out and back in: the page (the item, the unprocessed
//   requests) written again with json_writer, as the request bodies write them, parses to the
//   same values; and when the response was valid JSON, so is what we would send;
// - the age check of each scanned attribute (classify) reads {"S"}/{"N"} values as a full JSON
//   parser does, finds the same values invalid whatever the cutoff, and is monotonic in it.
#include <simdjson.h>

#include <array>
#include <chrono>
#include <cmath>
#include <string>

#include "dynamodb/error.hpp"
#include "dynamodb/json_writer.hpp"
#include "dynamodb/protocol.hpp"
#include "fuzz_check.hpp"
#include "scavenger/age_rule.hpp"
#include "scavenger/attribute_value.hpp"

namespace {

namespace dynamodb = scavenger::dynamodb;
namespace protocol = scavenger::dynamodb::protocol;
namespace core = scavenger::core;

constexpr std::string_view table = "Workers";

bool is_valid_json(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS;
}

// A parser's own copy, with no spare capacity: the parsers must pad it themselves.
std::string exact_copy(std::string_view input) {
  std::string body;
  body.reserve(input.size());
  body.assign(input);
  body.shrink_to_fit();
  return body;
}

void check_error_message(const protocol::parse_error& error) {
  FUZZ_CHECK(error.message.starts_with("malformed DynamoDB response"), error.message);
}

void check_capacity(double units, std::string_view what) {
  FUZZ_CHECK(std::isfinite(units) && units >= 0, std::string(what) + " consumed capacity " + std::to_string(units));
}

void write_item(dynamodb::json_writer& out, const dynamodb::item& attributes) {
  out.begin_object();
  for (const auto& attribute : attributes) out.member_raw(attribute.name, attribute.value);
  out.end_object();
}

// ---- the age check of scanned values ----

using std::chrono::sys_days;
using namespace std::chrono_literals;

// Increasing, within the years parse_rfc3339 accepts; the middle one has a fraction.
const std::array<std::chrono::system_clock::time_point, 3> cutoffs{
    sys_days{std::chrono::year{1678} / 1 / 2},
    sys_days{std::chrono::year{2026} / 1 / 1} + 500ms,
    sys_days{std::chrono::year{2261} / 12 / 31},
};

// What a full JSON parser reads as the string of a one-member {type: "..."} object.
std::optional<std::string> dom_scalar_text(std::string_view raw, std::string_view type) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(raw.data(), raw.size()).get(object)) return std::nullopt;
  if (object.size() != 1) return std::nullopt;
  const auto member = *object.begin();
  std::string_view text;
  if (member.key != type || member.value.get(text)) return std::nullopt;
  return std::string(text);
}

void check_age_check(const std::string& raw) {
  for (const std::string_view type : {"S", "N"}) {
    std::string scratch;
    const auto ours = core::scalar_text(raw, type, scratch);
    if (is_valid_json(raw)) {
      const auto reference = dom_scalar_text(raw, type);
      FUZZ_CHECK(ours.has_value() == reference.has_value() && (!ours || *ours == *reference),
                 "scalar_text(" + std::string(type) + ") of " + raw + " disagrees with a JSON parser");
    }
  }
  for (const auto format : {core::age_format::rfc3339, core::age_format::epoch_seconds, core::age_format::epoch_millis}) {
    std::array<core::age_verdict, cutoffs.size()> verdicts{};
    for (std::size_t i = 0; i < cutoffs.size(); ++i) {
      verdicts[i] = core::classify(core::age_rule{"a", format, cutoffs[i]}, raw);
    }
    const std::string what = std::string(core::to_string(format)) + " verdicts of " + raw;
    for (std::size_t i = 1; i < cutoffs.size(); ++i) {
      FUZZ_CHECK((verdicts[i] == core::age_verdict::invalid) == (verdicts[0] == core::age_verdict::invalid), what);
      // A later cutoff makes more items old enough, never fewer.
      FUZZ_CHECK(verdicts[i - 1] != core::age_verdict::old_enough || verdicts[i] == core::age_verdict::old_enough, what);
    }
  }
}

// ---- one parser each ----

void check_scan(std::string_view input, bool valid_json) {
  std::string body = exact_copy(input);
  const auto page = protocol::parse_scan_page(body);
  if (!page) return check_error_message(page.error());
  FUZZ_CHECK(page->count == static_cast<std::int64_t>(page->items.size()), "Count " + std::to_string(page->count));
  check_capacity(page->consumed_capacity, "Scan");

  dynamodb::json_writer out;
  out.begin_object().key("Items").begin_array();
  for (const auto& item : page->items) write_item(out, item);
  out.end_array();
  out.key("Count").number(page->count).key("ScannedCount").number(page->scanned_count);
  if (!page->last_evaluated_key.empty()) out.member_raw("LastEvaluatedKey", page->last_evaluated_key);
  out.end_object();
  std::string again = std::move(out).str();
  const std::string written = again;
  if (valid_json) FUZZ_CHECK(is_valid_json(written), "valid page written as invalid JSON: " + written);
  const auto reparsed = protocol::parse_scan_page(again);
  FUZZ_CHECK(reparsed.has_value(), "page written as " + written + " does not parse: " + reparsed.error().message);
  FUZZ_CHECK(reparsed->items == page->items && reparsed->count == page->count &&
                 reparsed->scanned_count == page->scanned_count &&
                 reparsed->last_evaluated_key == page->last_evaluated_key,
             "page written as " + written + " parses differently");

  for (const auto& item : page->items) {
    for (const auto& attribute : item) check_age_check(attribute.value);
  }
}

void check_get_item(std::string_view input, bool valid_json) {
  std::string body = exact_copy(input);
  const auto found = protocol::parse_get_item(body);
  if (!found) return check_error_message(found.error());
  if (!*found) return;
  std::string again = "{\"Item\":" + dynamodb::to_json(**found) + "}";
  const std::string written = again;
  if (valid_json) FUZZ_CHECK(is_valid_json(written), "valid item written as invalid JSON: " + written);
  const auto reparsed = protocol::parse_get_item(again);
  FUZZ_CHECK(reparsed && *reparsed && **reparsed == **found, "item written as " + written + " parses differently");
}

void check_delete_item(std::string_view input) {
  std::string body = exact_copy(input);
  const auto result = protocol::parse_delete_item_result(body);
  if (!result) return check_error_message(result.error());
  check_capacity(result->consumed_capacity, "DeleteItem");
}

void check_batch_write(std::string_view input, bool valid_json) {
  std::string body = exact_copy(input);
  const auto result = protocol::parse_batch_write_result(body, table);
  if (!result) return check_error_message(result.error());
  check_capacity(result->consumed_capacity, "BatchWriteItem");

  dynamodb::json_writer out;
  out.begin_object().key("UnprocessedItems").begin_object().key(table).begin_array();
  for (const auto& request : result->unprocessed) {
    const bool put = request.type == dynamodb::write_request::kind::put;
    out.begin_object().key(put ? "PutRequest" : "DeleteRequest").begin_object().key(put ? "Item" : "Key");
    write_item(out, request.attributes);
    out.end_object().end_object();
  }
  out.end_array().end_object().end_object();
  std::string again = std::move(out).str();
  const std::string written = again;
  if (valid_json) FUZZ_CHECK(is_valid_json(written), "valid requests written as invalid JSON: " + written);
  const auto reparsed = protocol::parse_batch_write_result(again, table);
  FUZZ_CHECK(reparsed && reparsed->unprocessed == result->unprocessed,
             "unprocessed requests written as " + written + " parse differently");
}

void check_table_description(std::string_view input) {
  std::string body = exact_copy(input);
  const auto description = protocol::parse_table_description(body);
  if (!description) return check_error_message(description.error());
  FUZZ_CHECK(!description->keys.partition.name.empty(), "a table without a partition key");
  FUZZ_CHECK(!description->billing_mode.empty(), "a table without a billing mode");
  FUZZ_CHECK(description->keys.names().front() == description->keys.partition.name, "key names");
}

void check_api_error(std::string_view input) {
  for (const unsigned status : {400u, 500u}) {
    const dynamodb::api_error error = dynamodb::parse_api_error({status, {}, std::string(input)});
    FUZZ_CHECK(error.status == status, "status");
    FUZZ_CHECK(error.type.find('#') == std::string::npos, "namespace left in " + error.type);
    if (error.throttling()) FUZZ_CHECK(error.retryable(), "throttling is retried");
    if (status >= 500) FUZZ_CHECK(error.retryable() && error.may_have_been_applied(), "a 5xx is retried");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view input = scavenger::fuzz::as_text(data, size);
  const bool valid_json = is_valid_json(input);
  check_scan(input, valid_json);
  check_get_item(input, valid_json);
  check_delete_item(input);
  check_batch_write(input, valid_json);
  check_table_description(input);
  check_api_error(input);
  return 0;
}
