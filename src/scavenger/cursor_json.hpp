#pragma once
// Cursors as JSON (SPEC §6, §8): {"segment": S, "start_key": {…} | null, "done": bool}, the
// start key embedded byte for byte as Scan returned it. Shared by checkpoints, summaries and
// the Lambda event, so that a summary's cursors can be fed back as they are.
//
// Thread safety: pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "dynamodb/json_writer.hpp"
#include "scavenger/config_error.hpp"
#include "scavenger/segment_cursor.hpp"
#include "scavenger/shard.hpp"

namespace scavenger::core {

void write_cursor(dynamodb::json_writer& out, const segment_cursor& cursor);

// An array of cursors, in the order given.
void write_cursors(dynamodb::json_writer& out, const std::vector<segment_cursor>& cursors);

// Reads an array of cursors, in any key order (unknown keys ignored). Each start key is kept as
// the exact text it has in `json` (whitespace included). The error is one line naming the field
// ("cursors[].start_key" is not an object, …).
boost::system::result<std::vector<segment_cursor>, config_error> parse_cursors(std::string_view json);

// Whether `cursors` list every segment `owner` owns of `total_segments` exactly once (SPEC §6):
// nullopt, or one line naming the first stray, repeated or missing segment. Anything else would
// make a resume skip a segment or scan one twice.
std::optional<std::string> check_cursors(const std::vector<segment_cursor>& cursors, shard owner, int total_segments);

}  // namespace scavenger::core
