// Response bodies of DynamoDB's JSON protocol, parsed with simdjson On-Demand. Attribute values
// are kept as the raw JSON text the service sent (simdjson::to_json_string), never converted.
#include <simdjson.h>

#include "dynamodb/protocol.hpp"

namespace scavenger::dynamodb::protocol {

namespace ondemand = simdjson::ondemand;

namespace {

// One parser per thread: reusing its buffers is what makes parsing fast.
ondemand::parser& thread_parser() {
  thread_local ondemand::parser parser;
  return parser;
}

parse_error malformed(std::string_view what, simdjson::error_code code) {
  return {"malformed DynamoDB response: " + std::string(what) + " (" + simdjson::error_message(code) + ")"};
}

// Starts iterating `body` as a JSON object, padding the buffer first if it must.
simdjson::error_code open_object(std::string& body, ondemand::document& doc, ondemand::object& object) {
  if (body.capacity() < body.size() + simdjson::SIMDJSON_PADDING) body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  if (auto code = thread_parser().iterate(body.data(), body.size(), body.capacity()).get(doc)) return code;
  return doc.get_object().get(object);
}

simdjson::error_code read_item(ondemand::value value, item& out) {
  ondemand::object object;
  if (auto code = value.get_object().get(object)) return code;
  for (auto field : object) {
    std::string_view name;
    if (auto code = field.unescaped_key().get(name)) return code;
    ondemand::value attribute_value;
    if (auto code = field.value().get(attribute_value)) return code;
    std::string_view raw;
    if (auto code = simdjson::to_json_string(attribute_value).get(raw)) return code;
    out.push_back({std::string(name), std::string(raw)});
  }
  return simdjson::SUCCESS;
}

// More than any one request can consume: a BatchWriteItem of 25 items of 400 KB with 20 global
// secondary indexes comes to about 210,000 WCU.
constexpr double max_capacity_units_per_response = 1e7;

// Adds `part` to `units`, refusing what no capacity can be: a negative number, or more than
// one request can consume. Either would poison the token buckets' arithmetic (a debt of 1e308
// units is no wait a clock can hold) and the run's totals, whose JSON has no infinity (found by
// fuzz/fuzz_dynamodb_response).
simdjson::error_code add_capacity_units(double& units, double part) {
  if (!(part >= 0) || !(units + part <= max_capacity_units_per_response)) return simdjson::NUMBER_OUT_OF_RANGE;
  units += part;
  return simdjson::SUCCESS;
}

// ConsumedCapacity is an object for single-table operations and an array of them for batches.
simdjson::error_code read_capacity_units(ondemand::value value, double& units) {
  ondemand::json_type type;
  if (auto code = value.type().get(type)) return code;
  if (type == ondemand::json_type::array) {
    for (auto element : value.get_array()) {
      ondemand::value entry;
      if (auto code = element.get(entry)) return code;
      double part = 0;
      if (auto code = read_capacity_units(entry, part)) return code;
      if (auto code = add_capacity_units(units, part)) return code;
    }
    return simdjson::SUCCESS;
  }
  ondemand::object object;
  if (auto code = value.get_object().get(object)) return code;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return code;
    if (key == "CapacityUnits") {
      double part = 0;
      if (auto code = field.value().get_double().get(part)) return code;
      if (auto code = add_capacity_units(units, part)) return code;
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_key_schema(ondemand::value value, std::vector<std::pair<std::string, std::string>>& out) {
  for (auto element : value.get_array()) {
    ondemand::object entry;
    if (auto code = element.get_object().get(entry)) return code;
    std::string name;
    std::string key_type;
    for (auto field : entry) {
      std::string_view key;
      std::string_view text;
      if (auto code = field.unescaped_key().get(key)) return code;
      if (auto code = field.value().get_string().get(text)) return code;
      if (key == "AttributeName") name = text;
      if (key == "KeyType") key_type = text;
    }
    out.emplace_back(std::move(name), std::move(key_type));
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_attribute_types(ondemand::value value, std::vector<key_attribute>& out) {
  for (auto element : value.get_array()) {
    ondemand::object entry;
    if (auto code = element.get_object().get(entry)) return code;
    key_attribute definition;
    for (auto field : entry) {
      std::string_view key;
      std::string_view text;
      if (auto code = field.unescaped_key().get(key)) return code;
      if (auto code = field.value().get_string().get(text)) return code;
      if (key == "AttributeName") definition.name = text;
      if (key == "AttributeType") definition.type = text;
    }
    out.push_back(std::move(definition));
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_table(ondemand::object table, table_description& out) {
  std::vector<std::pair<std::string, std::string>> schema;
  std::vector<key_attribute> types;
  for (auto field : table) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return code;
    ondemand::value value;
    if (auto code = field.value().get(value)) return code;
    simdjson::error_code code = simdjson::SUCCESS;
    std::string_view text;
    if (key == "TableName") {
      code = value.get_string().get(text);
      out.name = text;
    } else if (key == "TableStatus") {
      code = value.get_string().get(text);
      out.status = text;
    } else if (key == "ItemCount") {
      code = value.get_int64().get(out.item_count);
    } else if (key == "KeySchema") {
      code = read_key_schema(value, schema);
    } else if (key == "AttributeDefinitions") {
      code = read_attribute_types(value, types);
    } else if (key == "BillingModeSummary") {
      ondemand::object summary;
      code = value.get_object().get(summary);
      if (!code) {
        for (auto entry : summary) {
          std::string_view summary_key;
          if ((code = entry.unescaped_key().get(summary_key))) break;
          if (summary_key == "BillingMode" && (code = entry.value().get_string().get(text)) == simdjson::SUCCESS) {
            out.billing_mode = text;
          }
        }
      }
    }
    if (code) return code;
  }
  auto type_of = [&types](const std::string& name) {
    for (const auto& definition : types) {
      if (definition.name == name) return definition.type;
    }
    return std::string{};
  };
  for (auto& [name, role] : schema) {
    if (role == "HASH") out.keys.partition = {name, type_of(name)};
    if (role == "RANGE") out.keys.sort = key_attribute{name, type_of(name)};
  }
  if (out.billing_mode.empty()) out.billing_mode = "PROVISIONED";  // absent summary: provisioned
  return out.keys.partition.name.empty() ? simdjson::INCORRECT_TYPE : simdjson::SUCCESS;
}

simdjson::error_code read_write_requests(ondemand::value value, std::vector<write_request>& out) {
  for (auto element : value.get_array()) {
    ondemand::object entry;
    if (auto code = element.get_object().get(entry)) return code;
    for (auto field : entry) {
      std::string_view kind;
      if (auto code = field.unescaped_key().get(kind)) return code;
      write_request request;
      request.type = kind == "PutRequest" ? write_request::kind::put : write_request::kind::remove;
      ondemand::object body;
      if (auto code = field.value().get_object().get(body)) return code;
      for (auto member : body) {
        std::string_view member_key;
        if (auto code = member.unescaped_key().get(member_key)) return code;
        if (member_key == "Item" || member_key == "Key") {
          ondemand::value attributes;
          if (auto code = member.value().get(attributes)) return code;
          if (auto code = read_item(attributes, request.attributes)) return code;
        }
      }
      out.push_back(std::move(request));
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace

boost::system::result<table_description, parse_error> parse_table_description(std::string& body) {
  ondemand::document doc;
  ondemand::object object;
  if (auto code = open_object(body, doc, object)) return malformed("table description", code);
  table_description description;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return malformed("table description", code);
    // DescribeTable answers "Table", CreateTable "TableDescription", DeleteTable too.
    if (key == "Table" || key == "TableDescription") {
      ondemand::object table;
      if (auto code = field.value().get_object().get(table)) return malformed("table description", code);
      if (auto code = read_table(table, description)) return malformed("table description", code);
      return description;
    }
  }
  return parse_error{"malformed DynamoDB response: no Table in the table description"};
}

boost::system::result<scan_page, parse_error> parse_scan_page(std::string& body) {
  ondemand::document doc;
  ondemand::object object;
  if (auto code = open_object(body, doc, object)) return malformed("Scan page", code);
  scan_page page;
  bool saw_count = false;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return malformed("Scan page", code);
    ondemand::value value;
    if (auto code = field.value().get(value)) return malformed("Scan page", code);
    simdjson::error_code code = simdjson::SUCCESS;
    if (key == "Items") {
      ondemand::array items;
      code = value.get_array().get(items);
      // Only an array that opened may be iterated: begin() on another is undefined behaviour
      // (found by fuzz/fuzz_dynamodb_response, with "Items" a string).
      if (!code) {
        for (auto element = items.begin(); !code && element != items.end(); ++element) {
          ondemand::value entry;
          if ((code = (*element).get(entry))) break;
          page.items.emplace_back();
          code = read_item(entry, page.items.back());
        }
      }
    } else if (key == "Count") {
      code = value.get_int64().get(page.count);
      saw_count = true;
    } else if (key == "ScannedCount") {
      code = value.get_int64().get(page.scanned_count);
    } else if (key == "LastEvaluatedKey") {
      std::string_view raw;
      code = simdjson::to_json_string(value).get(raw);
      page.last_evaluated_key = raw;
    } else if (key == "ConsumedCapacity") {
      code = read_capacity_units(value, page.consumed_capacity);
    }
    if (code) return malformed("Scan page", code);
  }
  if (!saw_count) page.count = static_cast<std::int64_t>(page.items.size());
  if (page.count != static_cast<std::int64_t>(page.items.size())) {
    return parse_error{"malformed DynamoDB response: Scan Count " + std::to_string(page.count) + " but " +
                       std::to_string(page.items.size()) + " items"};
  }
  return page;
}

boost::system::result<std::optional<item>, parse_error> parse_get_item(std::string& body) {
  ondemand::document doc;
  ondemand::object object;
  if (auto code = open_object(body, doc, object)) return malformed("GetItem", code);
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return malformed("GetItem", code);
    if (key == "Item") {
      item found;
      ondemand::value value;
      if (auto code = field.value().get(value)) return malformed("GetItem", code);
      if (auto code = read_item(value, found)) return malformed("GetItem", code);
      return std::optional<item>{std::move(found)};
    }
  }
  return std::optional<item>{};  // no "Item": the key does not exist
}

boost::system::result<delete_item_result, parse_error> parse_delete_item_result(std::string& body) {
  ondemand::document doc;
  ondemand::object object;
  if (auto code = open_object(body, doc, object)) return malformed("response", code);
  delete_item_result result;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return malformed("response", code);
    if (key == "ConsumedCapacity") {
      ondemand::value value;
      if (auto code = field.value().get(value)) return malformed("ConsumedCapacity", code);
      if (auto code = read_capacity_units(value, result.consumed_capacity)) return malformed("ConsumedCapacity", code);
    }
  }
  return result;
}

boost::system::result<batch_write_result, parse_error> parse_batch_write_result(std::string& body, std::string_view table) {
  ondemand::document doc;
  ondemand::object object;
  if (auto code = open_object(body, doc, object)) return malformed("BatchWriteItem", code);
  batch_write_result result;
  for (auto field : object) {
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) return malformed("BatchWriteItem", code);
    ondemand::value value;
    if (auto code = field.value().get(value)) return malformed("BatchWriteItem", code);
    if (key == "UnprocessedItems") {
      ondemand::object tables;
      if (auto code = value.get_object().get(tables)) return malformed("UnprocessedItems", code);
      for (auto entry : tables) {
        std::string_view name;
        if (auto code = entry.unescaped_key().get(name)) return malformed("UnprocessedItems", code);
        if (name != table) {
          return parse_error{"malformed DynamoDB response: UnprocessedItems names table '" + std::string(name) +
                             "', the request wrote only to '" + std::string(table) + "'"};
        }
        ondemand::value requests;
        if (auto code = entry.value().get(requests)) return malformed("UnprocessedItems", code);
        if (auto code = read_write_requests(requests, result.unprocessed)) return malformed("UnprocessedItems", code);
      }
    } else if (key == "ConsumedCapacity") {
      if (auto code = read_capacity_units(value, result.consumed_capacity)) return malformed("ConsumedCapacity", code);
    }
  }
  return result;
}

boost::system::result<void, parse_error> validate_json_object(std::string_view text) {
  // The DOM parser validates the whole text, trailing content included; this is not a hot path.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto code = parser.parse(text.data(), text.size()).get(root)) {
    return parse_error{"not valid JSON: " + std::string(simdjson::error_message(code))};
  }
  if (!root.is_object()) return parse_error{"not a JSON object"};
  return {};
}

}  // namespace scavenger::dynamodb::protocol
