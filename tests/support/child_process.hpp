#pragma once
// Runs a piece of a test in a forked child (for code that ends the process, such as the
// interrupt cleanup) and returns how the child ended.
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

namespace mysqlpitr::testing {

// The child's exit code, or nullopt when it did not exit normally (killed by a signal).
template <typename Fn>
std::optional<int> exit_code_in_child(Fn&& fn) {
  pid_t child = ::fork();
  if (child < 0) return std::nullopt;
  if (child == 0) {
    fn();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status)) return std::nullopt;
  return WEXITSTATUS(status);
}

}  // namespace mysqlpitr::testing
