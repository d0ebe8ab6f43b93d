#include "io/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/error.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::io {
namespace {

DirEntry entry_from_stat(const std::string& name, const std::string& path, const struct stat& st) {
  DirEntry entry;
  entry.name = name;
  entry.path = path;
  if (S_ISLNK(st.st_mode)) entry.type = EntryType::symlink;
  else if (S_ISREG(st.st_mode)) entry.type = EntryType::regular;
  else if (S_ISDIR(st.st_mode)) entry.type = EntryType::directory;
  entry.size = static_cast<unsigned long long>(st.st_size);
  entry.mtime = st.st_mtime;
  return entry;
}

UniqueFd open_for_reading(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot open {}: {}", path, errno_text(errno));
  return fd;
}

}  // namespace

std::vector<DirEntry> list_directory(const std::string& folder) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(folder.c_str()), ::closedir);
  if (!dir) throw failure("cannot read folder {}: {}", folder, errno_text(errno));
  std::vector<DirEntry> entries;
  while (dirent* item = ::readdir(dir.get())) {
    std::string name = item->d_name;
    if (name == "." || name == "..") continue;
    std::string path = join_path(folder, name);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;  // vanished while listing
    entries.push_back(entry_from_stat(name, path, st));
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

std::optional<FileIdentity> file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw failure("cannot stat {}: {}", path, errno_text(errno));
  }
  return FileIdentity{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
                      static_cast<unsigned long long>(st.st_size),
                      static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

std::optional<DirEntry> stat_entry(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return entry_from_stat(base_name(path), path, st);
}

bool rename_no_replace(int dir_fd, const std::string& from, const std::string& to, const std::string& shown) {
  if (::renameat2(dir_fd, from.c_str(), dir_fd, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) throw failure("cannot move {} to {}: {}", shown, to, errno_text(errno));
  struct stat st {};
  if (::fstatat(dir_fd, to.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return false;
  if (::renameat(dir_fd, from.c_str(), dir_fd, to.c_str()) != 0)
    throw failure("cannot move {} to {}: {}", shown, to, errno_text(errno));
  return true;
}

std::optional<DirEntry> stat_named(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return entry_from_stat(base_name(path), path, st);
}

bool is_folder(const std::string& path) {
  auto entry = stat_named(path);
  return entry && entry->type == EntryType::directory;
}

std::string named_file(const std::string& path) {
  auto entry = stat_entry(path);
  auto target = stat_named(path);
  if (!entry || entry->type != EntryType::symlink || !target || target->type == EntryType::directory) return path;
  return real_path(path).value_or(path);
}

std::string read_file_head(const std::string& path, size_t max_bytes) {
  UniqueFd fd = open_for_reading(path);
  std::string data(max_bytes, '\0');
  size_t filled = 0;
  while (filled < max_bytes) {
    ssize_t got = ::read(fd.get(), data.data() + filled, max_bytes - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw failure("cannot read {}: {}", path, errno_text(errno));
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  data.resize(filled);
  return data;
}

std::string read_file(const std::string& path) {
  UniqueFd fd = open_for_reading(path);
  std::string data;
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw failure("cannot read {}: {}", path, errno_text(errno));
    if (got == 0) break;
    data.append(buffer, static_cast<size_t>(got));
  }
  return data;
}

void write_all(int fd, const void* data, size_t size, const std::string& what) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw failure("cannot write {}: {}", what, errno_text(errno));
    bytes += written;
    size -= static_cast<size_t>(written);
  }
}

void fsync_directory(const std::string& folder) {
  UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0)
    throw failure("cannot sync folder {}: {}", folder, errno_text(errno));
}

std::string parent_path(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join_path(const std::string& folder, const std::string& name) {
  if (folder.empty() || folder == ".") return name;
  if (folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

bool directory_writable(const std::string& folder) {
  struct stat st {};
  return ::stat(folder.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         ::access(folder.c_str(), W_OK | X_OK) == 0;
}

std::optional<std::string> real_path(const std::string& path) {
  std::unique_ptr<char, void (*)(void*)> resolved(::realpath(path.c_str(), nullptr), std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

}  // namespace mysqlpitr::io
