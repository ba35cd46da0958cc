#pragma once
// Page permits for the segment readers (STYLE §5): how many candidates may wait for the deleters.
// Deleting is slower than scanning, so without a bound every reader ends up holding a whole
// page of candidates while the channel is full: memory grows with --readers × page size.
// A reader reserves a page's worth before each Scan; the page then holds what it found until
// the deleters take it. A Scan may start while what is outstanding (reserved + found and not
// yet taken) is at most the larger of one page's worth and `floor`, so the deleters always
// have about a page queued while the next is read (deletes never wait for a Scan), and pages
// that bring few candidates (a scan-bound run) still let every reader scan at once.
// Until a first page says how many candidates a page brings, one Scan runs at a time.
//
// Thread safety: none; use from the io_context thread.

#include <cstdint>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "scavenger/stop_source.hpp"

namespace scavenger::core {

class candidate_backlog {
 public:
  candidate_backlog(boost::asio::any_io_executor executor, std::int64_t floor);

  // Waits until a Scan may start and reserves its page's worth, which it returns (give it
  // back to found()). nullopt-like -1 when the run stopped first (nothing reserved).
  boost::asio::awaitable<std::int64_t> reserve(stop_source& stop);
  // The page reserved with `reserved` brought `candidates` (0 when it was never read).
  void found(std::int64_t reserved, std::int64_t candidates);
  // A deleter took `count` candidates off the channel.
  void taken(std::int64_t count);

  std::int64_t outstanding() const noexcept { return outstanding_; }
  std::int64_t page_estimate() const noexcept { return largest_page_; }

 private:
  bool may_start() const noexcept;
  void wake_if_ready();

  std::int64_t floor_;
  std::int64_t largest_page_ = -1;  // most candidates one page brought; -1: no page seen yet
  std::int64_t outstanding_ = 0;
  int waiting_ = 0;
  boost::asio::steady_timer changed_;  // waiters sleep on it; re-arming wakes them all
};

}  // namespace scavenger::core
