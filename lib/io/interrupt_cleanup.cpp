#include "io/interrupt_cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <cstring>

#include <atomic>

namespace mysqlpitr::io {
namespace {

constexpr int kSlots = 128;
constexpr char kRemovingSuffix[] = "-removing";  // still ".<final>.partial-<alnum>": prune's to remove
constexpr int kMaxDepth = 16;

// Only async-signal-safe operations touch these from the handler: atomic operations and system
// calls on paths (unlink, rename, openat, getdents64, unlinkat).
enum SlotState : int { kFree = 0, kWriting = 1, kVisible = 2, kCommitting = 3, kRemoving = 4 };
struct Slot {
  std::atomic<int> state{kFree};
  bool tree = false;
  char path[PATH_MAX];
};
Slot g_slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

bool is_dot_or_dotdot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// Removes `name` in the folder `parent` with everything below it, never following a symbolic
// link. A listing changes while entries are removed, so it is read again until the folder is empty.
void remove_tree_at(int parent, const char* name, int depth) {
  int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    ::unlinkat(parent, name, 0);
    return;
  }
  alignas(dirent64) char buffer[8192];
  for (int pass = 0; pass < 8; ++pass) {
    bool removed_any = false;
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
      ssize_t got = ::getdents64(fd, buffer, sizeof buffer);
      if (got <= 0) break;
      for (ssize_t offset = 0; offset < got;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer + offset);
        offset += entry->d_reclen;
        if (is_dot_or_dotdot(entry->d_name)) continue;
        bool folder = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN) {
          struct stat info {};
          folder = ::fstatat(fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(info.st_mode);
        }
        if (folder && depth < kMaxDepth) remove_tree_at(fd, entry->d_name, depth + 1);
        else ::unlinkat(fd, entry->d_name, 0);
        removed_any = true;
      }
    }
    if (!removed_any) break;
  }
  ::close(fd);
  ::unlinkat(parent, name, AT_REMOVEDIR);
}

// First out of the way under a name that is still a leftover's (so that no path-based write of the
// other threads lands in it any more), then removed.
void remove_tree(const char* path) {
  char removing[PATH_MAX];
  size_t length = std::strlen(path);
  std::memcpy(removing, path, length);
  std::memcpy(removing + length, kRemovingSuffix, sizeof kRemovingSuffix);
  const char* target = ::rename(path, removing) == 0 ? removing : path;
  remove_tree_at(AT_FDCWD, target, 0);
}

void on_signal(int) {
  for (auto& slot : g_slots)
    if (!slot.tree && slot.state.load(std::memory_order_acquire) == kVisible) ::unlink(slot.path);
  for (auto& slot : g_slots) {
    int expected = kVisible;
    if (slot.tree && slot.state.compare_exchange_strong(expected, kRemoving, std::memory_order_acq_rel))
      remove_tree(slot.path);
  }
  static const char message[] = "mysqlpitr: interrupted; temporary files removed, nothing was finished\n";
  ssize_t ignored = ::write(2, message, sizeof message - 1);
  (void)ignored;
  ::_exit(130);
}

int claim_slot(const std::string& path, bool tree) {
  for (int i = 0; i < kSlots; ++i) {
    // Claim the slot, write the path, and only then let the handler see it.
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kWriting, std::memory_order_acq_rel)) continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].tree = tree;
    g_slots[i].state.store(kVisible, std::memory_order_release);
    return i;
  }
  return -1;
}

}  // namespace

void install_interrupt_cleanup() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal_number, &action, nullptr);
}

int register_temporary(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  return claim_slot(path, false);
}

int register_temporary_tree(const std::string& path) {
  if (path.size() + sizeof kRemovingSuffix > PATH_MAX) return -1;
  return claim_slot(path, true);
}

void release_temporary(int slot) {
  if (slot >= 0 && slot < kSlots) g_slots[slot].state.store(kFree, std::memory_order_release);
}

bool begin_commit(int slot) {
  if (slot < 0 || slot >= kSlots) return true;
  int expected = kVisible;
  return g_slots[slot].state.compare_exchange_strong(expected, kCommitting, std::memory_order_acq_rel);
}

void end_commit(int slot, bool committed) {
  if (slot < 0 || slot >= kSlots) return;
  g_slots[slot].state.store(committed ? kFree : kVisible, std::memory_order_release);
}

}  // namespace mysqlpitr::io
