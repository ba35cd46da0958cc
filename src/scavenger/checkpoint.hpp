#pragma once
// Checkpoints (SPEC §6): what a run needs to resume where it stopped, and to refuse a resume
// that would delete something else. Version 1 is
//   {"version": 1, "table": …, "total_segments": T, "shard": "I/N",
//    "predicate": {"filter": …, "expression_attribute_names": {…},
//                  "expression_attribute_values": {…}, "age_attribute": …, "age_format": …,
//                  "cutoff": "RFC3339 UTC"},
//    "cursors": [{"segment": S, "start_key": {…} | null, "done": bool}, …]}
// with null for a filter or age rule the run does not have. Start keys, names and values are
// embedded and read back as raw JSON, byte for byte: a key's number is never rounded through a
// double, a binary value never decoded.
//
// Thread safety: pure functions, except that save_checkpoint and load_checkpoint touch the
// file system; one process saves a given path at a time (the temporary file is named by pid).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "scavenger/segment_cursor.hpp"
#include "scavenger/shard.hpp"

namespace scavenger::core {

inline constexpr int checkpoint_version = 1;

// The predicate as the user gave it: a resume must select exactly what the first run did.
struct checkpoint_predicate {
  std::string filter;                              // "" when none (null in the file)
  std::string expression_attribute_names = "{}";   // raw JSON object text
  std::string expression_attribute_values = "{}";  // raw JSON object text
  std::string age_attribute;                       // "" without an age rule (null)
  std::string age_format;                          // --age-format text; "" without an age rule
  // Fixed when the first run started; a resumed run keeps it (SPEC §2).
  std::optional<std::chrono::system_clock::time_point> cutoff;
  friend bool operator==(const checkpoint_predicate&, const checkpoint_predicate&) = default;
};

struct checkpoint {
  std::string table;
  int total_segments = 1;
  core::shard shard;
  checkpoint_predicate predicate;
  std::vector<segment_cursor> cursors;  // every segment the shard owns, done or not
  friend bool operator==(const checkpoint&, const checkpoint&) = default;
};

// One line: what is wrong with the file and what to do about it.
struct checkpoint_error {
  std::string message;
};

[[noreturn]] void throw_exception_from_error(const checkpoint_error& error, const boost::source_location&);

// The version 1 text, compact, without a trailing newline.
std::string to_json(const checkpoint& saved);

// Reads a version 1 text. Fields are found in any order; unknown ones are ignored. Errors:
// not JSON, another version, a missing field or one of the wrong type, a cutoff that is not
// RFC 3339, a shard that does not parse or fit total_segments, cursors that do not list each
// segment of the shard exactly once.
boost::system::result<checkpoint, checkpoint_error> parse_checkpoint(std::string_view text);

// Writes `saved` to `path` atomically: a temporary file `path.tmp.<pid>` in the same directory,
// fsync, rename over `path`, fsync of the directory. A crash or an error at any point leaves
// either the previous file or the new one at `path`, never a partial one, and no temporary
// file behind (barring a crash between create and rename).
boost::system::result<void, checkpoint_error> save_checkpoint(const std::string& path, const checkpoint& saved);

// Reads and parses `path`; errors name the file (missing, unreadable, not a checkpoint).
boost::system::result<checkpoint, checkpoint_error> load_checkpoint(const std::string& path);

// Whether a run with the settings of `wanted` may resume from `saved`: nullopt, or one line
// naming the first field that differs (table, total_segments, shard, or a predicate field).
// Names and values compare as minified JSON, so whitespace does not matter but key order does.
// Cursors are not compared: they are what the resume takes from `saved`. The caller builds
// `wanted` with the saved cutoff unless the user gave one explicitly.
std::optional<std::string> compatible(const checkpoint& saved, const checkpoint& wanted);

}  // namespace scavenger::core
