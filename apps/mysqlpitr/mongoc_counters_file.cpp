// libmongoc's counters file, kept from outliving the process.
//
// Debian's libmongoc is built with automatic initialisation: a library constructor calls
// mongoc_init() before main(), which creates /dev/shm/mongoc-<pid> for performance counters this
// tool never reads, and removes it at a normal exit. A run killed with -9 leaves it behind, and a
// later process given the same pid finds it and prints "WARNING: mongoc: Falling back to malloc
// for counters" on stderr: a cron mail from a run that went well. MONGOC_DISABLE_SHM would turn
// the file off, but no environment change made before libc starts survives (libc resets environ
// when it initialises), and after that libmongoc's constructor has already run. So the file is
// handled by name, in the two places a program has before that constructor and right after it:
//   1. the executable's .preinit_array, which the loader runs before any shared library's
//      constructor (ELF gABI, "Initialization and Termination Functions"): a file of our pid is
//      stale (its creator is dead) and is removed, so libmongoc creates it afresh and says nothing;
//   2. the executable's own constructor, which runs after those of the libraries it links: the
//      file libmongoc just created is unlinked at once (its mapping stays valid), so a kill -9 at
//      any later moment leaves nothing behind.
// Only a file owned by our own user is touched. Both run before libc has finished starting, so
// they use system calls only (no stdio, no allocation).
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr char kPrefix[] = "/dev/shm/mongoc-";

// "/dev/shm/mongoc-<pid>" into `out` (large enough for any pid).
void counters_path(char (&out)[64]) {
  char digits[24];
  int count = 0;
  for (unsigned long pid = static_cast<unsigned long>(::getpid()); count == 0 || pid > 0; pid /= 10)
    digits[count++] = static_cast<char>('0' + pid % 10);
  int length = 0;
  for (char c : kPrefix)
    if (c != '\0') out[length++] = c;
  while (count > 0) out[length++] = digits[--count];
  out[length] = '\0';
}

void remove_own_counters_file(int, char**, char**) {
  char path[64];
  counters_path(path);
  struct stat info {};
  if (::lstat(path, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == ::geteuid()) ::unlink(path);
}

__attribute__((constructor)) void unlink_fresh_counters_file() { remove_own_counters_file(0, nullptr, nullptr); }

}  // namespace

// `used`: nothing refers to the entry; the loader finds it through DT_PREINIT_ARRAY.
__attribute__((section(".preinit_array"), used)) void (*const mysqlpitr_remove_stale_counters_file)(int, char**,
                                                                                                  char**) =
    remove_own_counters_file;
