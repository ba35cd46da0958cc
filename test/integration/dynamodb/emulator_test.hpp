#pragma once
// Base of the DynamoDB integration tests: a real client against one of the emulators
// (DynamoDB Local or dynalite, the test's parameter) and throw-away tables.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "dynamodb/client.hpp"
#include "support/dynamodb_fixture.hpp"
#include "support/emulators.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::test {

class emulator_test : public ::testing::TestWithParam<emulator> {
 protected:
  void SetUp() override {
    client_ = std::make_unique<dynamodb::client>(io_.get_executor(), client_config_for(url_of(GetParam())), static_credentials());
  }

  void TearDown() override {
    for (const auto& table : tables_) run(io_, client_->delete_table(table));
  }

  template <class T>
  T await(boost::asio::awaitable<T> task) {
    return run(io_, std::move(task));
  }

  // Creates an on-demand table, waits until it is ACTIVE, and deletes it after the test.
  std::string create_table(dynamodb::key_schema keys) {
    auto name = unique_table_name("it-" + name_of(GetParam()));
    auto created = await(client_->create_table({name, std::move(keys), std::nullopt}));
    if (!created) throw std::runtime_error("CreateTable failed: " + dynamodb::describe(created.error()));
    tables_.push_back(name);
    auto active = await(client_->wait_until_active(name, std::chrono::seconds(30)));
    if (!active) throw std::runtime_error("table never became ACTIVE: " + dynamodb::describe(active.error()));
    return name;
  }

  // Writes `items` with BatchWriteItem, resending unprocessed requests until all are in.
  void put_all(const std::string& table, const std::vector<dynamodb::item>& items) {
    std::vector<dynamodb::write_request> pending;
    for (const auto& entry : items) pending.push_back({dynamodb::write_request::kind::put, entry});
    write_all(table, std::move(pending));
  }

  void write_all(const std::string& table, std::vector<dynamodb::write_request> pending) {
    for (int rounds = 0; !pending.empty(); ++rounds) {
      ASSERT_LT(rounds, 100000) << "BatchWriteItem never took every request";
      std::vector<dynamodb::write_request> batch;
      while (!pending.empty() && batch.size() < dynamodb::max_batch_write_requests) {
        batch.push_back(std::move(pending.back()));
        pending.pop_back();
      }
      auto written = await(client_->batch_write_item({table, std::move(batch), false}));
      ASSERT_TRUE(written) << dynamodb::describe(written.error());
      for (auto& left : written->unprocessed) pending.push_back(std::move(left));
    }
  }

  // Every page of one segment (or of the whole table), following LastEvaluatedKey to its absence.
  std::vector<dynamodb::scan_page> scan_pages(dynamodb::scan_request request) {
    std::vector<dynamodb::scan_page> pages;
    for (;;) {
      auto page = await(client_->scan(request));
      if (!page) throw std::runtime_error("Scan failed: " + dynamodb::describe(page.error()));
      pages.push_back(std::move(*page));
      if (pages.back().last_evaluated_key.empty()) return pages;
      if (pages.size() > 100000) throw std::runtime_error("Scan never ended");
      request.exclusive_start_key = pages.back().last_evaluated_key;
    }
  }

  std::vector<dynamodb::item> scan_all(dynamodb::scan_request request) {
    std::vector<dynamodb::item> items;
    for (auto& page : scan_pages(std::move(request))) {
      for (auto& entry : page.items) items.push_back(std::move(entry));
    }
    return items;
  }

  boost::asio::io_context io_;
  std::unique_ptr<dynamodb::client> client_;
  std::vector<std::string> tables_;
};

// Test names and failure messages show "dynalite", not "4-byte object <01-00 00-00>".
inline void PrintTo(emulator which, std::ostream* out) { *out << name_of(which); }

inline std::string emulator_param_name(const ::testing::TestParamInfo<emulator>& info) { return name_of(info.param); }

#define SCAVENGER_ON_BOTH_EMULATORS(suite) \
  INSTANTIATE_TEST_SUITE_P(emulators, suite, ::testing::ValuesIn(::scavenger::test::all_emulators), \
                           ::scavenger::test::emulator_param_name)

}  // namespace scavenger::test
