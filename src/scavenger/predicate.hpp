#pragma once
// A run's predicate (SPEC §3, §4) as the texts DynamoDB requests carry: the Scan's
// FilterExpression and ProjectionExpression, and the conditional DeleteItem's
// ConditionExpression, each with its ExpressionAttributeNames/Values. Everything is built
// once; per candidate only the condition's values are assembled (a prefix, the age value as
// scanned, a brace).
//
// Our placeholders: #scv_k0, #scv_k1 (key attributes), #scv_age (the age attribute),
// :scv_cutoff, :scv_n, :scv_cutoff_prefix, :scv_s (server age filter), :scv_seen (the age value
// a delete expects). Attribute names always go through placeholders: a name may be a reserved
// word or hold characters an expression cannot.
//
// Thread safety: immutable once built; share it across readers and deleters freely.

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/item.hpp"
#include "scavenger/age_rule.hpp"
#include "scavenger/config_error.hpp"

namespace scavenger::core {

struct predicate_settings {
  std::string filter;                       // --filter; empty (or blank): none
  std::string expression_attribute_names;   // JSON object text; empty: {}
  std::string expression_attribute_values;  // JSON object text; empty: {}
  std::optional<age_rule> age;              // --older-than, --age-attribute, --age-format
  bool all = false;                         // --all: no filter and no age rule is intended
  bool server_age_filter = false;           // --server-age-filter
};

class predicate {
 public:
  const predicate_settings& settings() const noexcept { return settings_; }
  const std::optional<age_rule>& age() const noexcept { return settings_.age; }

  // Scan: the filter (empty: none), the projection, and their placeholders. The names are
  // never empty (the projection always uses some); the values may be (empty: none).
  const std::string& scan_filter_expression() const noexcept { return scan_filter_; }
  const std::string& projection_expression() const noexcept { return projection_; }
  const std::string& scan_attribute_names() const noexcept { return scan_names_; }
  const std::string& scan_attribute_values() const noexcept { return scan_values_; }

  // The client-side age check of a scanned item (SPEC §2): without an age rule every item the
  // filter let through is a candidate (old_enough).
  age_verdict check(const dynamodb::item& scanned) const;

  // Conditional delete of a candidate: the condition (empty: unconditional, --all alone) and
  // its placeholders (empty: none).
  const std::string& condition_expression() const noexcept { return condition_; }
  const std::string& condition_attribute_names() const noexcept { return condition_names_; }
  // `seen` is the candidate's age attribute as scanned (raw AttributeValue JSON), the value
  // the delete expects to find; ignored without an age rule.
  std::string condition_attribute_values(std::string_view seen) const;

 private:
  friend boost::system::result<predicate, config_error> build_predicate(const predicate_settings& settings,
                                                                        const std::vector<std::string>& key_names);
  predicate() = default;

  predicate_settings settings_;
  std::string scan_filter_;
  std::string projection_;
  std::string scan_names_;
  std::string scan_values_;
  std::string condition_;
  std::string condition_names_;
  // With an age rule: `{<user values>,":scv_seen":` (the seen value and "}" follow).
  // Without: the whole values text, the same for every candidate.
  std::string condition_values_prefix_;
};

// Checks the settings and builds the texts. `key_names` is the table's key schema, partition
// key first. The error is one line naming the problem and the fix: no filter and no age rule
// without --all; names or values that are not JSON objects, or that use our reserved prefixes
// (as does a filter that mentions #scv_/:scv_); names or values without a filter (DynamoDB
// refuses placeholders no expression uses); an empty age attribute; --server-age-filter
// without an age rule.
boost::system::result<predicate, config_error> build_predicate(const predicate_settings& settings,
                                                               const std::vector<std::string>& key_names);

}  // namespace scavenger::core
