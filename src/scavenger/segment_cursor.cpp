#include "scavenger/segment_cursor.hpp"

#include <stdexcept>
#include <utility>

namespace scavenger::core {

segment_progress::segment_progress(segment_cursor from)
    : segment_(from.segment), next_start_key_(std::move(from.start_key)), last_page_read_(from.done) {}

page_token segment_progress::begin_page(std::string start_key, std::string last_evaluated_key,
                                        std::size_t candidates) {
  if (last_page_read_) {
    throw std::logic_error("segment " + std::to_string(segment_) + ": a page after the last one");
  }
  if (start_key != next_start_key_) {
    throw std::logic_error("segment " + std::to_string(segment_) +
                           ": a page that does not start where the previous one ended");
  }
  const page_token token = front_token_ + pages_.size();
  next_start_key_ = std::move(last_evaluated_key);
  last_page_read_ = next_start_key_.empty();
  pages_.push_back({std::move(start_key), candidates});
  drop_settled_front();
  return token;
}

void segment_progress::settle(page_token token) {
  if (token < front_token_ || token - front_token_ >= pages_.size() ||
      pages_[static_cast<std::size_t>(token - front_token_)].unsettled == 0) {
    throw std::logic_error("segment " + std::to_string(segment_) + ": page " + std::to_string(token) +
                           " settled more often than it has candidates");
  }
  --pages_[static_cast<std::size_t>(token - front_token_)].unsettled;
  drop_settled_front();
}

void segment_progress::drop_settled_front() {
  while (!pages_.empty() && pages_.front().unsettled == 0) {
    pages_.pop_front();
    ++front_token_;
  }
}

segment_cursor segment_progress::cursor() const {
  if (!pages_.empty()) return {segment_, pages_.front().start_key, false};
  if (last_page_read_) return {segment_, {}, true};
  return {segment_, next_start_key_, false};
}

}  // namespace scavenger::core
