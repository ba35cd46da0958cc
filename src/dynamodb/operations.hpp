#pragma once
// Typed requests and results of the DynamoDB operations scavenger uses (API version 20120810).
// Expression attribute names/values are JSON object texts in the AWS CLI's shapes
// ({"#Comp":"Completed"}, {":one":{"N":"1"}}), sent to the server as given.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/item.hpp"

namespace scavenger::dynamodb {

struct key_attribute {
  std::string name;
  std::string type;  // "S", "N" or "B"
  friend bool operator==(const key_attribute&, const key_attribute&) = default;
};

struct key_schema {
  key_attribute partition;
  std::optional<key_attribute> sort;
  // Key attribute names, partition first: what a key projected out of an item must carry.
  std::vector<std::string> names() const;
};

struct table_description {
  std::string name;
  std::string status;  // CREATING, ACTIVE, DELETING, UPDATING
  key_schema keys;
  std::int64_t item_count = 0;
  std::string billing_mode;  // PAY_PER_REQUEST or PROVISIONED
};

struct create_table_request {
  std::string table;
  key_schema keys;
  // Unset: PAY_PER_REQUEST. Set: PROVISIONED with these read and write capacity units.
  std::optional<std::pair<std::int64_t, std::int64_t>> provisioned_capacity;
};

struct scan_request {
  std::string table;
  std::optional<int> segment;
  std::optional<int> total_segments;
  std::string filter_expression;      // empty: none
  std::string projection_expression;  // empty: all attributes
  std::string expression_attribute_names;   // JSON object text; empty: none
  std::string expression_attribute_values;  // JSON object text; empty: none
  std::string exclusive_start_key;          // JSON object text (a LastEvaluatedKey); empty: start
  std::optional<std::int64_t> limit;
  bool consistent_read = false;
  bool return_consumed_capacity = true;  // TOTAL
};

struct scan_page {
  std::vector<item> items;
  std::int64_t count = 0;          // items that passed the filter (== items.size())
  std::int64_t scanned_count = 0;  // items read before the filter
  // JSON object text exactly as received; empty when the segment is finished. A page can be
  // empty (everything filtered out) and still carry one: only its absence ends the scan.
  std::string last_evaluated_key;
  double consumed_capacity = 0;
};

struct put_item_request {
  std::string table;
  item attributes;
};

struct get_item_request {
  std::string table;
  item key;
  bool consistent_read = true;
};

struct delete_item_request {
  std::string table;
  item key;
  std::string condition_expression;         // empty: unconditional
  std::string expression_attribute_names;   // JSON object text; empty: none
  std::string expression_attribute_values;  // JSON object text; empty: none
  bool return_consumed_capacity = true;
};

struct delete_item_result {
  double consumed_capacity = 0;
};

// One entry of a BatchWriteItem: a PutRequest (item) or a DeleteRequest (key).
struct write_request {
  enum class kind { put, remove };
  kind type = kind::remove;
  item attributes;  // the item for a put, the key for a delete
  friend bool operator==(const write_request&, const write_request&) = default;
};

// BatchWriteItem on one table: at most 25 requests (a DynamoDB limit).
struct batch_write_request {
  std::string table;
  std::vector<write_request> requests;
  bool return_consumed_capacity = true;
};

struct batch_write_result {
  // Requests the service did not process (throttling or internal limits): the caller retries
  // them; none is dropped here.
  std::vector<write_request> unprocessed;
  double consumed_capacity = 0;
};

inline constexpr std::size_t max_batch_write_requests = 25;

}  // namespace scavenger::dynamodb
