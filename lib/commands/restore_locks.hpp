#pragma once
// What a restore holds from before its plan to the end of its execution, so that two restores of
// one database never interleave and prune never deletes what a restore reads:
// - on the server, a named lock per database the restore drops, creates or fills
//   (restore_lock_name(), mysql::NamedLocks): restore-historical and restore-pitr (--resume too) of
//   one database exclude each other from any host; the second run exits 5 naming the holder;
// - on the folder it reads a backup from, the kind's read lock, shared (io::RunLock::share):
//   prune takes it exclusively and exits 5 instead of deleting a file a restore verified; backups
//   writing new files take other scopes and are never held up.
// The runner (commands/runner.hpp) takes them from these declarations before the plan and holds
// them until execute() ends. A --dry-run holds nothing (it must never make a real run fail): it
// only warns when a real run would be refused now.
#include <string>

#include "commands/command.hpp"

namespace mysqlpitr::commands {

// The declarations the runner takes for a restore: a folder's read lock, shared (not taken when the
// folder is read-only here), and a database's server lock.
LockDeclaration read_lock(const std::string& folder, const std::string& scope);
LockDeclaration database_lock(const std::string& database);
// restore-historical's dump: FILE's folder (empty: paths.historical), by the kind its name says.
LockDeclaration read_dump_lock(const config::Settings& settings, const std::string& file);

// "mysqlpitr.restore.<database>" (hashed when too long for the server).
std::string restore_lock_name(const std::string& database);

}  // namespace mysqlpitr::commands
