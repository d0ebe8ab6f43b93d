#pragma once
// On SIGINT, SIGTERM or SIGHUP the process removes the temporary files it was writing and exits
// 130, so an interrupted run never leaves litter beside the backups (and never a final name: those
// are only ever made by rename). The registry is process-wide because a signal handler can reach
// nothing else; it holds paths only and is touched by AtomicFile alone.
#include <string>

namespace mysqlpitr::io {

// Installs the handlers (once, from the entry point).
void install_interrupt_cleanup();

// A temporary path that the handler removes; returns a slot for release (or -1 when full).
int register_temporary(const std::string& path);
void release_temporary(int slot);

}  // namespace mysqlpitr::io
