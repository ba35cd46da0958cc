#include "scavenger/candidate_backlog.hpp"

#include <gtest/gtest.h>

#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace scavenger::core {
namespace {

// Readers that ask for a Scan; what each was granted (-1: stopped), 0 while still waiting.
class readers {
 public:
  readers(boost::asio::io_context& io, candidate_backlog& backlog, stop_source& stop) : io_(io), backlog_(backlog), stop_(stop) {}

  // Starts one more reader and lets everything runnable run.
  void start() {
    granted_.push_back(0);
    const auto index = granted_.size() - 1;
    boost::asio::co_spawn(io_, backlog_.reserve(stop_), [this, index](std::exception_ptr, std::int64_t reserved) {
      granted_[index] = reserved;
    });
    settle();
  }
  void settle() {
    io_.restart();
    io_.poll();
  }
  std::int64_t granted(std::size_t reader) const { return granted_.at(reader); }
  int scanning() const {
    int count = 0;
    for (auto reserved : granted_) count += reserved > 0 ? 1 : 0;
    return count;
  }

 private:
  boost::asio::io_context& io_;
  candidate_backlog& backlog_;
  stop_source& stop_;
  std::vector<std::int64_t> granted_;
};

struct candidate_backlog_test : testing::Test {
  boost::asio::io_context io;
  stop_source stop{io.get_executor()};
};

TEST_F(candidate_backlog_test, one_scan_at_a_time_until_a_page_shows_its_size) {
  candidate_backlog backlog(io.get_executor(), 100);
  readers scans(io, backlog, stop);
  scans.start();
  scans.start();
  EXPECT_EQ(scans.scanning(), 1) << "the first page's size is unknown: it could be all candidates";
  backlog.found(scans.granted(0), 40);
  scans.settle();
  EXPECT_EQ(scans.scanning(), 2);
  EXPECT_EQ(scans.granted(1), 40) << "a page's worth is the most candidates a page brought";
}

TEST_F(candidate_backlog_test, full_pages_of_candidates_wait_for_the_deleters) {
  candidate_backlog backlog(io.get_executor(), 100);
  readers scans(io, backlog, stop);
  scans.start();
  backlog.found(scans.granted(0), 4000);  // 4,000 candidates wait
  for (int i = 0; i < 9; ++i) scans.start();
  // 4,000 waiting: one more page may be read while the deleters work on the first.
  EXPECT_EQ(scans.scanning(), 2);
  EXPECT_EQ(backlog.outstanding(), 8000);
  backlog.taken(3999);
  scans.settle();
  EXPECT_EQ(scans.scanning(), 2) << "4,001 outstanding is over one page's worth";
  backlog.taken(1);
  scans.settle();
  EXPECT_EQ(scans.scanning(), 3);
  EXPECT_EQ(backlog.outstanding(), 8000);
}

TEST_F(candidate_backlog_test, pages_with_few_candidates_let_every_reader_scan) {
  candidate_backlog backlog(io.get_executor(), 100);
  readers scans(io, backlog, stop);
  scans.start();
  backlog.found(scans.granted(0), 10);
  for (int i = 0; i < 10; ++i) scans.start();
  EXPECT_EQ(scans.scanning(), 11) << "10 candidates waiting + 10 pages of 10 stays within the floor of 100";
  scans.start();
  EXPECT_EQ(scans.scanning(), 11) << "110 outstanding: over the floor";
}

TEST_F(candidate_backlog_test, an_unread_page_gives_its_reservation_back) {
  candidate_backlog backlog(io.get_executor(), 100);
  readers scans(io, backlog, stop);
  scans.start();
  scans.start();
  backlog.found(scans.granted(0), 0);  // stopped or failed before the page came
  scans.settle();
  EXPECT_EQ(scans.scanning(), 2);
  EXPECT_EQ(backlog.outstanding(), 1);
}

TEST_F(candidate_backlog_test, a_stopped_run_reserves_nothing) {
  candidate_backlog backlog(io.get_executor(), 100);
  readers scans(io, backlog, stop);
  scans.start();
  scans.start();
  stop.request_stop(stop_reason::signal);
  scans.settle();
  EXPECT_EQ(scans.granted(1), -1);
  EXPECT_EQ(backlog.outstanding(), 1);
}

}  // namespace
}  // namespace scavenger::core
