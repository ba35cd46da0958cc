#pragma once
// `scavenger seed` (SPEC §7): creates an on-demand table of the original's shape (WorkerId N
// hash key, StartTime S range key) and fills it with worker items (scavenger/worker_item.hpp),
// `items - survivors` of which the original's rule deletes. The demo and the benchmarks start
// from such a table.
//
// Thread safety: none. Run seed_table on the io_context thread that runs the client.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "dynamodb/client.hpp"

namespace scavenger::core {

struct seed_settings {
  std::string table;
  std::int64_t items = 130000;    // the original's measured table
  std::int64_t survivors = 3300;  // items its rule keeps
  bool recreate = false;          // delete an existing table first (else refuse to touch it)
  int writers = 16;               // BatchWriteItem requests in flight
  std::chrono::system_clock::time_point now;  // the ages are relative to this
};

struct seed_report {
  std::int64_t written = 0;
  std::int64_t expected_deletions = 0;  // items the original's rule deletes at `now`
  std::int64_t survivors = 0;
  double seconds = 0;        // from the first table request to the last item written
  std::int64_t requests = 0;  // BatchWriteItem requests sent, retries and re-sends included
};

// One line: what went wrong, naming the table and, where it helps, the option that fixes it.
struct seed_error {
  std::string message;
};

// Found by argument-dependent lookup: result<T, seed_error>::value() throws
// std::runtime_error(message) on an error.
[[noreturn]] inline void throw_exception_from_error(const seed_error& error, const boost::source_location&) {
  throw std::runtime_error(error.message);
}

// Creates (or, with `recreate`, deletes and creates) the table, waits until it is ACTIVE, then
// writes every item with BatchWriteItem, `writers` requests at once, 25 puts each; unprocessed
// items are sent again with backoff until all are in. An existing table without `recreate`,
// invalid settings or a failed request give a seed_error. Throttling waits, never fails.
boost::asio::awaitable<boost::system::result<seed_report, seed_error>> seed_table(dynamodb::client& client,
                                                                                  const seed_settings& settings);

}  // namespace scavenger::core
