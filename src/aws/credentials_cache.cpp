// Cached credentials with refresh ahead of expiry and one fetch at a time.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/credentials_chain.hpp"

namespace scavenger::aws {

// The fetch running now. Waiters park on `done`, which never expires by itself: the fetching
// coroutine cancels it once `result` is set (or when it unwinds).
struct credentials_cache::in_flight {
  explicit in_flight(const boost::asio::any_io_executor& executor)
      : done(executor, boost::asio::steady_timer::time_point::max()) {}
  boost::asio::steady_timer done;
  std::optional<credentials_result> result;
};

credentials_cache::credentials_cache(std::unique_ptr<credentials_provider> source, std::chrono::seconds refresh_ahead,
                                     clock_function now)
    : source_(std::move(source)), refresh_ahead_(refresh_ahead), now_(std::move(now)) {}

credentials_cache::~credentials_cache() = default;

bool credentials_cache::usable(std::chrono::system_clock::time_point now) const noexcept {
  return cached_ && (!cached_->expiration || now < *cached_->expiration);
}

bool credentials_cache::refresh_due(std::chrono::system_clock::time_point now) const noexcept {
  if (!usable(now)) {
    return true;
  }
  if (!cached_->expiration || now < *cached_->expiration - refresh_ahead_) {
    return false;
  }
  // Early refresh: not more often than every minimum_refresh_interval, so that a failing source
  // (or one that hands out credentials already inside the window) is not asked on every call.
  return !last_attempt_ || now - *last_attempt_ >= minimum_refresh_interval;
}

boost::asio::awaitable<credentials_result> credentials_cache::get() {
  const auto now = now_();
  if (!refresh_due(now)) {
    co_return *cached_;
  }
  if (in_flight_) {
    if (usable(now)) {
      co_return *cached_;  // a refresh is under way and the current credentials are still valid
    }
    const std::shared_ptr<in_flight> waiting = in_flight_;
    co_await waiting->done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (waiting->result) {
      co_return *waiting->result;
    }
    co_return credentials_error{"the credentials fetch this request waited for was interrupted"};
  }

  const auto flight = std::make_shared<in_flight>(co_await boost::asio::this_coro::executor);
  in_flight_ = flight;
  // Wakes the waiters however this coroutine ends, an exception or cancellation included.
  struct wake_waiters {
    credentials_cache& cache;
    std::shared_ptr<in_flight> flight;
    ~wake_waiters() {
      cache.in_flight_.reset();
      flight->done.cancel();
    }
  } const wake{*this, flight};

  credentials_result result = co_await source_->fetch();
  ++fetches_;
  const auto after = now_();
  last_attempt_ = after;
  if (result) {
    cached_ = *result;
  } else if (usable(after)) {
    result = *cached_;  // the early refresh failed; the cached credentials are still valid
  }
  flight->result = result;
  co_return result;
}

}  // namespace scavenger::aws
