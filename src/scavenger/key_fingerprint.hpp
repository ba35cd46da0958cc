#pragma once
// A key's identity independent of JSON spelling: BatchWriteItem hands UnprocessedItems back as
// the service re-serialised them, so "b\u00e5r" may return as "bår". The fingerprint decodes
// each scalar key value, so both spellings of one key compare equal.
//
// Thread safety: pure function.

#include <optional>
#include <string>

#include "dynamodb/item.hpp"

namespace scavenger::core {

// nullopt when an attribute is not an S, N or B scalar (keys never are anything else).
std::optional<std::string> key_fingerprint(const dynamodb::item& key);

}  // namespace scavenger::core
