#include "scavenger/deleted_log.hpp"

#include <cerrno>
#include <cstring>

namespace scavenger::core {

boost::system::result<std::unique_ptr<deleted_log>, config_error> deleted_log::open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return config_error{"--deleted-log " + path + ": cannot open for appending (" + std::strerror(errno) +
                        "); give a writable file path"};
  }
  return std::unique_ptr<deleted_log>(new deleted_log(file));
}

deleted_log::~deleted_log() { std::fclose(file_); }

void deleted_log::append(const dynamodb::item& key) {
  const auto line = dynamodb::to_json(key) + "\n";
  std::fwrite(line.data(), 1, line.size(), file_);
}

void deleted_log::flush() { std::fflush(file_); }

}  // namespace scavenger::core
