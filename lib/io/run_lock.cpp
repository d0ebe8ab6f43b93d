#include "io/run_lock.hpp"

#include <fcntl.h>
#include <signal.h>
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

// Whether a "<purpose> pid N" line may still name a live holder: shared holders append their line
// and only the next exclusive holder empties the file, so lines of ended readers linger. A pid of
// another host (a folder on NFS) may look dead here: then nobody is named, which is only less
// helpful.
bool may_be_alive(std::string_view line) {
  size_t at = line.rfind(" pid ");
  if (at == std::string_view::npos) return true;
  long pid = std::strtol(std::string(line.substr(at + 5)).c_str(), nullptr, 10);
  return pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

std::string holders(const std::string& path) {
  std::vector<std::string> alive;
  for (const auto& line : core::split(read_file_head(path, 4096), '\n')) {
    auto trimmed = core::trim(line);
    if (!trimmed.empty() && may_be_alive(trimmed)) alive.emplace_back(trimmed);
  }
  // Nobody named: a run that has not written its line yet, or one of another host (NFS).
  return alive.empty() ? "its holder has not named itself yet, or runs on another host" : core::join(alive, "; ");
}
}  // namespace

std::string lock_file_name(const std::string& scope) {
  return std::string(kLockPrefix) + scope + std::string(kLockSuffix);
}

RunLock RunLock::acquire(const std::string& folder, const std::string& scope, const std::string& purpose) {
  return take(folder, scope, purpose, Mode::exclusive);
}

RunLock RunLock::wait_for(const std::string& folder, const std::string& scope, const std::string& purpose) {
  return take(folder, scope, purpose, Mode::wait);
}

RunLock RunLock::share(const std::string& folder, const std::string& scope, const std::string& purpose) {
  return take(folder, scope, purpose, Mode::shared);
}

RunLock RunLock::take(const std::string& folder, const std::string& scope, const std::string& purpose, Mode mode) {
  std::string path = join_path(folder, lock_file_name(scope));
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) throw failure("cannot open lock file {}: {}", path, errno_text(errno));
  int operation = (mode == Mode::shared ? LOCK_SH : LOCK_EX) | (mode == Mode::wait ? 0 : LOCK_NB);
  int result;
  // A reader gives an exclusive holder a moment: prune --dry-run probes the lock that briefly.
  int busy_retries = mode == Mode::shared ? 10 : 0;
  for (;;) {
    result = ::flock(fd.get(), operation);
    if (result == 0) break;
    if (errno == EINTR && mode == Mode::wait) continue;
    if (errno != EWOULDBLOCK || busy_retries-- <= 0) break;
    ::usleep(20000);
  }
  if (result != 0) {
    if (errno != EWOULDBLOCK) throw failure("cannot lock {}: {}", path, errno_text(errno));
    throw precondition_error("another mysqlpitr run holds the lock {} ({})", path, holders(path));
  }
  std::string who = fmt::format("{} pid {}\n", purpose, ::getpid());
  // O_APPEND: a shared holder adds its line to the other readers'; an exclusive one is alone.
  if (mode == Mode::shared || ::ftruncate(fd.get(), 0) == 0) write_all(fd.get(), who.data(), who.size(), path);
  return RunLock(std::move(path), std::move(fd));
}

}  // namespace mysqlpitr::io
