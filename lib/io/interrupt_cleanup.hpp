#pragma once
// On SIGINT, SIGTERM or SIGHUP the process removes the temporary files and folders it was writing
// and exits 130, so an interrupted run never leaves litter beside the backups (and never a final
// name: those are only ever made by rename). The registry is process-wide because a signal handler
// can reach nothing else; it holds paths only and is touched by AtomicFile and PartialFolder.
#include <string>

namespace mysqlpitr::io {

// Installs the handlers (once, from the entry point).
void install_interrupt_cleanup();

// A temporary path that the handler removes; returns a slot for release (or -1 when full).
int register_temporary(const std::string& path);
// A temporary folder that the handler removes with everything in it (-1 when full or too long).
int register_temporary_tree(const std::string& path);
void release_temporary(int slot);

// A folder's removal is not one system call, so a rename to its final name must never run while
// the handler is emptying it (the result would be a final name over a part of the files). Before
// that rename the owner claims the slot: false means the handler has taken it first (the process
// is about to exit) and the rename must not happen. After the rename, end_commit() releases the
// slot (committed) or hands it back to the handler (the rename failed). Slot -1 always claims.
bool begin_commit(int slot);
void end_commit(int slot, bool committed);

}  // namespace mysqlpitr::io
