#pragma once
// What a restore holds from before its plan to the end of its execution, so that two restores of
// one database never interleave and prune never deletes what a restore reads:
// - on the server, a named lock per database the restore drops, creates or fills
//   (restore_lock_name(), mysql::NamedLocks): restore-historical and restore-pitr (--resume too) of
//   one database exclude each other from any host; the second run exits 5 naming the holder;
// - on the folder it reads a backup from, the kind's read lock, shared (io::RunLock::share):
//   prune takes it exclusively and exits 5 instead of deleting a file a restore verified; backups
//   writing new files take other scopes and are never held up.
// A --dry-run holds nothing (it must never make a real run fail): it only warns when a real run
// would be refused now.
#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"
#include "io/run_lock.hpp"
#include "mysql/named_lock.hpp"

namespace mysqlpitr::commands {

class RestoreLocks {
 public:
  RestoreLocks(Context& context, std::string command, bool dry_run)
      : context_(context), command_(std::move(command)), dry_run_(dry_run) {}

  // The read lock of the folder a backup is read from (nothing when the folder is unset, missing
  // or read-only: prune cannot delete there through us either).
  void read_folder(const std::string& folder, const std::string& scope);
  // restore-historical's dump: FILE's folder (empty: paths.historical), by the kind its name says.
  void read_dump(const std::string& file);
  // The server locks of these databases, in sorted order; those held already are kept.
  void databases(std::vector<std::string> names);

 private:
  Context& context_;
  std::string command_;
  bool dry_run_;
  std::optional<mysql::NamedLocks> server_;
  std::vector<io::RunLock> folders_;
};

// "mysqlpitr.restore.<database>" (hashed when too long for the server).
std::string restore_lock_name(const std::string& database);

}  // namespace mysqlpitr::commands
