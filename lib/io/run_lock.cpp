#include "io/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"

namespace mysqlpitr::io {

namespace {
constexpr std::string_view kLockPrefix = ".mysqlpitr-";
constexpr std::string_view kLockSuffix = ".lock";
}  // namespace

std::string lock_file_name(const std::string& scope) {
  return std::string(kLockPrefix) + scope + std::string(kLockSuffix);
}

RunLock RunLock::acquire(const std::string& folder, const std::string& scope, const std::string& purpose) {
  return take(folder, scope, purpose, false);
}

RunLock RunLock::wait_for(const std::string& folder, const std::string& scope, const std::string& purpose) {
  return take(folder, scope, purpose, true);
}

RunLock RunLock::take(const std::string& folder, const std::string& scope, const std::string& purpose, bool wait) {
  std::string path = join_path(folder, lock_file_name(scope));
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) throw failure("cannot open lock file {}: {}", path, errno_text(errno));
  int result;
  do result = ::flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB));
  while (result != 0 && errno == EINTR && wait);
  if (result != 0) {
    if (errno != EWOULDBLOCK) throw failure("cannot lock {}: {}", path, errno_text(errno));
    std::string holder = core::trim(read_file_head(path, 200));
    throw precondition_error("another mysqlpitr run holds the lock {} ({})", path,
                             holder.empty() ? "unknown" : holder);
  }
  std::string who = fmt::format("{} pid {}\n", purpose, ::getpid());
  if (::ftruncate(fd.get(), 0) == 0) write_all(fd.get(), who.data(), who.size(), path);
  return RunLock(std::move(path), std::move(fd));
}

}  // namespace mysqlpitr::io
