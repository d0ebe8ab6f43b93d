#pragma once
// The one error type of mysqlpitr: a message, the context it gathered on its way up, the exit code
// from CLI.md's table and, when a server refused something, that server's own error number. The
// runner (lib/cli/run.cpp) is the one place that turns it into a line and a return code; code below
// it catches an Error only to decide on the server's number (an expected "no such table").
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace mysqlpitr {

enum class ExitCode : int {
  ok = 0,
  failed = 1,         // failed; nothing half-done is left looking finished
  usage = 2,          // usage or configuration error
  not_confirmed = 3,  // confirmation not given
  partial = 4,        // some items failed, the rest succeeded
  precondition = 5,   // binlog gap, missing base, lock held, server not set up for PITR
  warning = 6,        // status: a threshold passed (Nagios' WARNING is 1, taken by `failed`)
  critical = 7,       // status: backups missing, stale beyond twice a threshold, a gap, a failed drill
  interrupted = 130,  // stopped by a signal
};

class Error : public std::exception {
 public:
  Error(ExitCode code, std::string message);

  // Prepends context ("restoring shop", "reading FILE") as the error travels up.
  Error& add_context(std::string context);

  // Records the server's error number (MySQL errno, MongoDB code) so callers test it as data.
  Error& set_server_code(int code) noexcept {
    server_code_ = code;
    return *this;
  }

  ExitCode code() const noexcept { return code_; }
  std::optional<int> server_code() const noexcept { return server_code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::string>& context() const noexcept { return context_; }
  // "outermost: ...: innermost: message"
  const char* what() const noexcept override { return full_.c_str(); }

 private:
  void rebuild();

  ExitCode code_;
  std::string message_;
  std::vector<std::string> context_;  // outermost first
  std::optional<int> server_code_;
  std::string full_;
};

template <typename... Args>
Error failure(fmt::format_string<Args...> format, Args&&... args) {
  return Error(ExitCode::failed, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Error usage_error(fmt::format_string<Args...> format, Args&&... args) {
  return Error(ExitCode::usage, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Error precondition_error(fmt::format_string<Args...> format, Args&&... args) {
  return Error(ExitCode::precondition, fmt::format(format, std::forward<Args>(args)...));
}

// Runs fn; an Error escaping it gets `context` added. Keeps call sites to one line.
template <typename Fn>
auto with_context(const std::string& context, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (Error& error) {
    error.add_context(context);
    throw;
  }
}

// strerror(errno) as a string, for system call failures.
std::string errno_text(int error_number);

}  // namespace mysqlpitr
