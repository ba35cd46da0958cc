#pragma once
// Shared helpers of the credentials, shared-config and endpoint tests: a per-test temporary
// directory for the AWS shared files, and a scripted credentials provider.

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/credentials.hpp"

namespace scavenger::aws::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class temp_directory {
 public:
  temp_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "scavenger-aws-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  ~temp_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;

  const std::string& path() const noexcept { return path_; }

  // Writes `contents` to `relative` (creating parent folders) and returns the full path.
  std::string write(const std::string& relative, const std::string& contents) const {
    const std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out) {
      throw std::runtime_error("cannot write " + full.string());
    }
    return full.string();
  }

 private:
  std::string path_;
};

// Returns the scripted results in turn (the last one forever), counting calls. With a delay,
// each fetch first waits that long on the caller's executor, to overlap concurrent callers.
class scripted_provider final : public credentials_provider {
 public:
  scripted_provider(std::string name, std::vector<credentials_result> results, int* calls,
                    std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : name_(std::move(name)), results_(std::move(results)), calls_(calls), delay_(delay) {}

  boost::asio::awaitable<credentials_result> fetch() override {
    if (delay_.count() > 0) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay_);
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    const std::size_t index = static_cast<std::size_t>(*calls_) < results_.size() ? static_cast<std::size_t>(*calls_)
                                                                                   : results_.size() - 1;
    ++*calls_;
    co_return results_.at(index);
  }

  std::string name() const override { return name_; }

 private:
  std::string name_;
  std::vector<credentials_result> results_;
  int* calls_;
  std::chrono::milliseconds delay_;
};

inline credentials static_credentials(std::string id, std::string secret, std::string token = {}) {
  return credentials{std::move(id), std::move(secret), std::move(token), std::nullopt};
}

}  // namespace scavenger::aws::testing
