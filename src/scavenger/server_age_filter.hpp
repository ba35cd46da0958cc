#pragma once
// The age rule as a Scan filter clause (SPEC §3, --server-age-filter): it lets the server drop
// most young items, but never an item the client-side check would call old, missing or
// invalid; the client-side check (classify) stays the judge of what is deleted.
//
// Thread safety: pure function.

#include <string>

#include "scavenger/age_rule.hpp"

namespace scavenger::core {

struct server_age_clause {
  std::string expression;     // a FilterExpression clause over #scv_age
  std::string value_members;  // the JSON members of the ExpressionAttributeValues it uses
};

// Epoch formats: `#scv_age < :scv_cutoff OR attribute_not_exists(#scv_age) OR NOT
// attribute_type(#scv_age, :scv_n)`, with :scv_cutoff the exact cutoff in the format's unit.
// RFC 3339: `#scv_age < :scv_cutoff_prefix OR attribute_not_exists(#scv_age) OR NOT
// attribute_type(#scv_age, :scv_s)`, a string comparison against an upper bound one day past
// the cutoff (see server_age_filter.cpp for why that bound is safe).
server_age_clause server_age_filter(const age_rule& rule);

}  // namespace scavenger::core
