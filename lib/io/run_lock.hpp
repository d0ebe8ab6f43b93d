#pragma once
// An exclusive, non-blocking run lock (flock on a file that no legacy glob matches). Two runs that
// would touch the same folder take the same lock; the second fails with exit code 5.
#include <string>

#include "io/fd.hpp"

namespace mysqlpitr::io {

class RunLock {
 public:
  // Locks `folder/.mysqlpitr.lock`; `purpose` ("prune", "backup historical") is written into the
  // lock file so that the error of a second run can say who holds it.
  static RunLock acquire(const std::string& folder, const std::string& purpose);

  RunLock(RunLock&&) noexcept = default;
  RunLock& operator=(RunLock&&) noexcept = default;
  const std::string& path() const noexcept { return path_; }

 private:
  RunLock(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  UniqueFd fd_;  // closing it releases the lock
};

inline constexpr const char* kLockFileName = ".mysqlpitr.lock";

}  // namespace mysqlpitr::io
