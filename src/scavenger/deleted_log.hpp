#pragma once
// --deleted-log FILE: one JSON line per deleted key, appended before the delete is counted,
// so the log lists at least every item the summary says was deleted.
//
// Thread safety: none; use from the io_context thread.

#include <cstdio>
#include <memory>
#include <string>

#include <boost/system/result.hpp>

#include "dynamodb/item.hpp"
#include "scavenger/config_error.hpp"

namespace scavenger::core {

class deleted_log {
 public:
  // Opens `path` for appending; the error names the file and the reason.
  static boost::system::result<std::unique_ptr<deleted_log>, config_error> open(const std::string& path);
  ~deleted_log();
  deleted_log(const deleted_log&) = delete;
  deleted_log& operator=(const deleted_log&) = delete;

  void append(const dynamodb::item& key);
  // Pushes the lines appended so far to the operating system (not fsync: a crash of this
  // process loses nothing; a power loss may lose the last lines, which the next run redoes).
  void flush();

 private:
  explicit deleted_log(std::FILE* file) : file_(file) {}
  std::FILE* file_;
};

}  // namespace scavenger::core
