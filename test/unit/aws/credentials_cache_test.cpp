#include <chrono>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "aws/credentials_chain.hpp"
#include "aws_test_helpers.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::aws {
namespace {

using namespace std::chrono_literals;
using testing::scripted_provider;
using time_point = std::chrono::system_clock::time_point;

const time_point start = std::chrono::sys_days{std::chrono::year{2026} / 11 / 24};

credentials expiring(std::string id, time_point expiration) {
  return credentials{std::move(id), "secret", "token", expiration};
}

class CredentialsCache : public ::testing::Test {
 protected:
  credentials_cache make(std::vector<credentials_result> results, std::chrono::milliseconds delay = 0ms) {
    return credentials_cache(std::make_unique<scripted_provider>("scripted", std::move(results), &calls_, delay), 5min,
                             [this] { return now_; });
  }
  credentials_result get(credentials_cache& cache) { return test::run(io_, cache.get()); }

  boost::asio::io_context io_;
  time_point now_ = start;
  int calls_ = 0;
};

TEST_F(CredentialsCache, CredentialsWithoutExpirationAreFetchedOnce) {
  auto cache = make({testing::static_credentials("STATIC", "s")});
  EXPECT_EQ(get(cache).value().access_key_id, "STATIC");
  now_ += std::chrono::hours(24 * 365 * 10);
  EXPECT_EQ(get(cache).value().access_key_id, "STATIC");
  EXPECT_EQ(cache.fetches(), 1u);
}

TEST_F(CredentialsCache, RefreshesWithinRefreshAheadOfExpiry) {
  auto cache = make({expiring("FIRST", start + 60min), expiring("SECOND", start + 120min)});
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");
  now_ = start + 54min + 59s;  // 5 min 1 s before expiry: still cached
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");
  EXPECT_EQ(cache.fetches(), 1u);
  now_ = start + 55min;  // exactly refresh_ahead before expiry
  EXPECT_EQ(get(cache).value().access_key_id, "SECOND");
  EXPECT_EQ(cache.fetches(), 2u);
  now_ = start + 100min;
  EXPECT_EQ(get(cache).value().access_key_id, "SECOND");
  EXPECT_EQ(cache.fetches(), 2u);
}

TEST_F(CredentialsCache, AFailedEarlyRefreshKeepsTheValidCredentialsAndRetriesLater) {
  auto cache = make({expiring("FIRST", start + 60min), credentials_error{"endpoint down"},
                     credentials_error{"endpoint down"}, expiring("SECOND", start + 120min)});
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");
  now_ = start + 56min;
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");  // refresh failed, still valid
  EXPECT_EQ(cache.fetches(), 2u);
  now_ += credentials_cache::minimum_refresh_interval - 1s;
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");  // too soon to ask again
  EXPECT_EQ(cache.fetches(), 2u);
  now_ += 1s;
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");  // asked again, failed again
  EXPECT_EQ(cache.fetches(), 3u);
  now_ = start + 59min;
  EXPECT_EQ(get(cache).value().access_key_id, "SECOND");
  EXPECT_EQ(cache.fetches(), 4u);
}

TEST_F(CredentialsCache, ExpiredCredentialsAreNeverReturned) {
  auto cache = make({expiring("FIRST", start + 60min), credentials_error{"endpoint down"}});
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");
  now_ = start + 60min;  // expired
  const auto result = get(cache);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "endpoint down");
  now_ += 1s;  // no minimum interval once nothing valid is cached
  EXPECT_FALSE(get(cache).has_value());
  EXPECT_EQ(cache.fetches(), 3u);
}

TEST_F(CredentialsCache, AFailedFirstFetchIsRetriedOnTheNextCall) {
  auto cache = make({credentials_error{"not yet"}, testing::static_credentials("LATER", "s")});
  EXPECT_FALSE(get(cache).has_value());
  EXPECT_EQ(get(cache).value().access_key_id, "LATER");
  EXPECT_EQ(cache.fetches(), 2u);
}

TEST_F(CredentialsCache, ConcurrentCallersShareOneFetch) {
  auto cache = make({testing::static_credentials("SHARED", "s")}, 50ms);
  constexpr int callers = 8;
  std::vector<std::optional<credentials_result>> results(callers);
  for (int i = 0; i < callers; ++i) {
    boost::asio::co_spawn(io_, cache.get(), [&results, i](std::exception_ptr error, credentials_result result) {
      if (error) std::rethrow_exception(error);
      results[static_cast<std::size_t>(i)] = std::move(result);
    });
  }
  io_.run_for(5s);
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(result->has_value()) << result->error().message;
    EXPECT_EQ((*result)->access_key_id, "SHARED");
  }
  EXPECT_EQ(cache.fetches(), 1u);
  EXPECT_EQ(calls_, 1);
}

TEST_F(CredentialsCache, CallersDuringAnEarlyRefreshGetTheStillValidCredentials) {
  auto cache = make({expiring("FIRST", start + 60min), expiring("SECOND", start + 120min)}, 50ms);
  EXPECT_EQ(get(cache).value().access_key_id, "FIRST");
  now_ = start + 58min;
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    boost::asio::co_spawn(io_, cache.get(), [&seen](std::exception_ptr error, credentials_result result) {
      if (error) std::rethrow_exception(error);
      seen.push_back(result ? result->access_key_id : "error");
    });
  }
  io_.restart();
  io_.run_for(5s);
  ASSERT_EQ(seen.size(), 3u);
  // The two that arrived while the refresh ran did not wait for it.
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "FIRST"), 2);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "SECOND"), 1);
  EXPECT_EQ(cache.fetches(), 2u);
}

}  // namespace
}  // namespace scavenger::aws
