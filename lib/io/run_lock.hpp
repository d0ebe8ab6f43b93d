#pragma once
// Run locks: flock on `.mysqlpitr-<scope>.lock` in a folder (a name no legacy glob matches). The
// scope is the kind of work ("historical", "schema", "binlogs"...), not the folder alone: the
// historical and schema dumps share a folder by default and are scheduled minutes apart, so a
// schema dump still running must not make the historical run fail. Two runs of the same kind on
// the same folder take the same lock; the second fails with exit code 5.
//
// Shared locks let many readers in and keep out the one that takes the scope exclusively: each
// restore holds "read-<kind>" on the folder it reads a backup from, and prune takes it
// exclusively, so a file a restore verified cannot be deleted before it is loaded. Writers of new
// backups take another scope and are never held up by a restore.
#include <string>

#include "io/fd.hpp"

namespace mysqlpitr::io {

class RunLock {
 public:
  // Takes the lock without waiting; throws a precondition error (exit 5) naming the holder when
  // another run has it. `purpose` ("prune", "backup historical") is written into the lock file.
  static RunLock acquire(const std::string& folder, const std::string& scope, const std::string& purpose);
  // Waits for the lock: for short critical sections that concurrent runs of different kinds share,
  // such as rewriting a folder's manifest.
  static RunLock wait_for(const std::string& folder, const std::string& scope, const std::string& purpose);
  // Takes the lock shared without waiting; throws (exit 5) naming the holder when it is held
  // exclusively. Each reader adds its line to the lock file, so an exclusive taker that has to
  // give up names every reader.
  static RunLock share(const std::string& folder, const std::string& scope, const std::string& purpose);

  RunLock(RunLock&&) noexcept = default;
  RunLock& operator=(RunLock&&) noexcept = default;
  const std::string& path() const noexcept { return path_; }

 private:
  RunLock(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  enum class Mode { exclusive, wait, shared };
  static RunLock take(const std::string& folder, const std::string& scope, const std::string& purpose, Mode mode);
  std::string path_;
  UniqueFd fd_;  // closing it releases the lock
};

// `.mysqlpitr-<scope>.lock`.
std::string lock_file_name(const std::string& scope);

}  // namespace mysqlpitr::io
