// Saving and loading checkpoint files. The save is the classic atomic replace: a reader (or a
// resume after SIGKILL or a power cut) sees the old file or the new one, never a torn one.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "scavenger/checkpoint.hpp"

namespace scavenger::core {

namespace {

// Closes a file descriptor on every path out.
class unique_fd {
 public:
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  // Closes now, reporting the error a deferred write may only surface here.
  int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

checkpoint_error io_failure(std::string_view what, const std::string& path) {
  return {"checkpoint " + std::string(what) + " " + path + ": " + std::strerror(errno)};
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// The directory entry made by rename is durable only once the directory itself is synced.
boost::system::result<void, checkpoint_error> sync_directory_of(const std::string& path) {
  auto directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  unique_fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_failure("cannot open the directory of", path);
  // Some file systems cannot sync a directory (EINVAL); there is nothing more to do on them.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) return io_failure("cannot sync the directory of", path);
  return {};
}

}  // namespace

boost::system::result<void, checkpoint_error> save_checkpoint(const std::string& path, const checkpoint& saved) {
  const std::string text = to_json(saved) + "\n";
  // Same directory as the target: rename is atomic only within one file system.
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  unique_fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return io_failure("cannot create", temporary);
  const auto abandon = [&](checkpoint_error error) {
    ::unlink(temporary.c_str());
    return error;
  };
  if (!write_all(fd.get(), text)) return abandon(io_failure("cannot write", temporary));
  if (::fsync(fd.get()) != 0) return abandon(io_failure("cannot sync", temporary));
  if (fd.close() != 0) return abandon(io_failure("cannot close", temporary));
  if (::rename(temporary.c_str(), path.c_str()) != 0) return abandon(io_failure("cannot replace", path));
  return sync_directory_of(path);
}

boost::system::result<checkpoint, checkpoint_error> load_checkpoint(const std::string& path) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return io_failure("cannot open", path);
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    const auto got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return io_failure("cannot read", path);
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  auto parsed = parse_checkpoint(text);
  if (!parsed) return checkpoint_error{"checkpoint " + path + ": " + parsed.error().message};
  return parsed;
}

}  // namespace scavenger::core
