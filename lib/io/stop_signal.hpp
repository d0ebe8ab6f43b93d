#pragma once
// For a long-running command that must stop cleanly (systemd's stop sends SIGTERM): while a
// StopSignals lives, SIGTERM, SIGINT and SIGHUP only ask the process to stop, instead of the
// interrupt cleanup's exit (interrupt_cleanup.hpp). The handlers are installed without SA_RESTART,
// so a blocking read returns EINTR and the loop sees the request at once. The flag is process-wide
// because a signal handler can reach nothing else.
#include <csignal>

namespace mysqlpitr::io {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();  // the previous handlers back
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool requested() const;
  int signal() const;  // the signal that asked, 0 before any

 private:
  struct sigaction previous_[3] {};
};

}  // namespace mysqlpitr::io
