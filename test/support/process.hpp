#pragma once
// Runs the real scavenger binary (or any program) as a child process for integration tests:
// arguments, extra environment, stdout/stderr captured to files, a time limit, and signals
// (SIGTERM, SIGKILL) sent at chosen moments.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace scavenger::test {

struct process_result {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, or 0
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
  std::chrono::steady_clock::duration elapsed{};
};

class child_process {
 public:
  // Starts `program` with `arguments`; the environment is this process's plus `environment`
  // (a value of "" removes the variable), or `environment` alone when `inherit` is false.
  child_process(const std::string& program, const std::vector<std::string>& arguments,
                const std::map<std::string, std::string>& environment = {}, bool inherit = true);
  ~child_process();  // kills (SIGKILL) and reaps a child still running
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const noexcept { return pid_; }
  void send_signal(int signal_number) const;
  bool running();  // false once it exited (then wait() returns at once)
  // Waits at most `limit`, then kills it (SIGKILL) and reports that in `signal`.
  process_result wait(std::chrono::steady_clock::duration limit);
  std::string current_stderr() const;  // what it wrote to stderr so far

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_path_;
  std::string err_path_;
  std::chrono::steady_clock::time_point started_;
};

// Starts, waits (at most `limit`) and returns the result.
process_result run_process(const std::string& program, const std::vector<std::string>& arguments,
                           const std::map<std::string, std::string>& environment = {},
                           std::chrono::steady_clock::duration limit = std::chrono::minutes(5));

// The path of the scavenger binary under test (set at build time).
std::string scavenger_binary();

}  // namespace scavenger::test
