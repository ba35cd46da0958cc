#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace scavenger::test {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string temp_path(const char* suffix) {
  static int counter = 0;
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/scavenger-test-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter++) + suffix;
}

}  // namespace

child_process::child_process(const std::string& program, const std::vector<std::string>& arguments,
                             const std::map<std::string, std::string>& environment, bool inherit)
    : out_path_(temp_path(".out")), err_path_(temp_path(".err")), started_(std::chrono::steady_clock::now()) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; inherit && *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : environment) {
    if (value.empty()) {
      merged.erase(name);
    } else {
      merged[name] = value;
    }
  }
  std::vector<std::string> env_texts;
  for (const auto& [name, value] : merged) env_texts.push_back(name + "=" + value);
  std::vector<char*> env_pointers;
  for (auto& text : env_texts) env_pointers.push_back(text.data());
  env_pointers.push_back(nullptr);

  std::vector<std::string> argv_texts{program};
  argv_texts.insert(argv_texts.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv_pointers;
  for (auto& text : argv_texts) argv_pointers.push_back(text.data());
  argv_pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int failed = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) throw std::runtime_error("cannot start " + program + ": " + std::strerror(failed));
}

child_process::~child_process() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  std::remove(out_path_.c_str());
  std::remove(err_path_.c_str());
}

void child_process::send_signal(int signal_number) const { ::kill(pid_, signal_number); }

bool child_process::running() {
  if (reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

std::string child_process::current_stderr() const { return read_file(err_path_); }

process_result child_process::wait(std::chrono::steady_clock::duration limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (running() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  process_result result;
  result.elapsed = std::chrono::steady_clock::now() - started_;
  if (WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) result.signal = WTERMSIG(status_);
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

process_result run_process(const std::string& program, const std::vector<std::string>& arguments,
                           const std::map<std::string, std::string>& environment, std::chrono::steady_clock::duration limit) {
  child_process child(program, arguments, environment);
  return child.wait(limit);
}

std::string scavenger_binary() { return SCAVENGER_BINARY; }

}  // namespace scavenger::test
