#pragma once
// Per-segment resume points (SPEC §6). A segment's cursor is the ExclusiveStartKey of its oldest
// page whose candidates are not all settled: deletes are idempotent and re-reading a page is
// harmless, so resuming there never skips an unsettled item, while resuming any later could.
//
// Thread safety: segment_progress is not synchronised; it belongs to the one strand (or thread)
// that runs its segment's reader and settles its candidates. The other types are plain values.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace scavenger::core {

// Where a segment stands: {"segment": S, "start_key": {…} | null, "done": bool}.
struct segment_cursor {
  int segment = 0;
  // The raw LastEvaluatedKey JSON text Scan returned, byte for byte; empty means null (the
  // segment's start, or nothing left when done).
  std::string start_key;
  bool done = false;
  friend bool operator==(const segment_cursor&, const segment_cursor&) = default;
};

// Identifies a page registered with segment_progress::begin_page.
using page_token = std::uint64_t;

// Tracks a segment's pages from Scan to settlement and derives its cursor.
class segment_progress {
 public:
  // Starts (or resumes) a segment from a cursor: from its start with {S, "", false}, from a
  // checkpoint's cursor as loaded. A cursor that is done takes no more pages.
  explicit segment_progress(segment_cursor from);

  // Registers the next page Scan returned for this segment. Pages must arrive in order: each
  // `start_key` (the ExclusiveStartKey sent, "" = the segment start) is the previous page's
  // `last_evaluated_key` ("" = this was the last page). `candidates` is how many of its items
  // the deleters will settle; a page with none is settled at once. Throws std::logic_error when
  // the order is broken, since a cursor built on a gap could skip items.
  page_token begin_page(std::string start_key, std::string last_evaluated_key, std::size_t candidates);

  // One candidate of `page` settled (deleted, skipped_changed or failed). Called exactly once per
  // candidate; more often throws std::logic_error.
  void settle(page_token page);

  // The resume point: the start key of the oldest unsettled page; when every page read is
  // settled, the key where reading would continue; done once the last page is read and settled.
  segment_cursor cursor() const;

  // Pages held in memory: settled pages at the front are dropped, so this counts only the span
  // from the oldest unsettled page to the newest (bounded in practice by the pipeline's channel).
  std::size_t pages_held() const noexcept { return pages_.size(); }

 private:
  struct page {
    std::string start_key;
    std::size_t unsettled = 0;
  };
  void drop_settled_front();

  int segment_;
  std::deque<page> pages_;      // pages_[i] has token front_token_ + i
  page_token front_token_ = 0;  // token of pages_.front() (or of the next page when empty)
  std::string next_start_key_;  // where reading continues: the newest page's LastEvaluatedKey
  bool last_page_read_ = false;
};

}  // namespace scavenger::core
