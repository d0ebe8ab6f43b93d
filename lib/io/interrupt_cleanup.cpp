#include "io/interrupt_cleanup.hpp"

#include <climits>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include <atomic>

namespace mysqlpitr::io {
namespace {

constexpr int kSlots = 128;

// Only async-signal-safe operations touch these from the handler: atomic loads and unlink().
enum SlotState : int { kFree = 0, kWriting = 1, kVisible = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
Slot g_slots[kSlots];

void on_signal(int) {
  for (auto& slot : g_slots)
    if (slot.state.load(std::memory_order_acquire) == kVisible) ::unlink(slot.path);
  static const char message[] = "mysqlpitr: interrupted; temporary files removed, nothing was finished\n";
  ssize_t ignored = ::write(2, message, sizeof message - 1);
  (void)ignored;
  ::_exit(130);
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
  for (int i = 0; i < kSlots; ++i) {
    // Claim the slot, write the path, and only then let the handler see it.
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kWriting, std::memory_order_acq_rel)) continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].state.store(kVisible, std::memory_order_release);
    return i;
  }
  return -1;
}

void release_temporary(int slot) {
  if (slot >= 0 && slot < kSlots) g_slots[slot].state.store(kFree, std::memory_order_release);
}

}  // namespace mysqlpitr::io
