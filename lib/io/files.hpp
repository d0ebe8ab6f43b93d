#pragma once
// File-system reading helpers. Everything that creates files goes through AtomicFile.
#include <sys/types.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace mysqlpitr::io {

enum class EntryType { regular, directory, symlink, other };

struct DirEntry {
  std::string name;
  std::string path;
  EntryType type = EntryType::other;  // from lstat: a symlink is reported as a symlink
  unsigned long long size = 0;
  std::time_t mtime = 0;
};

// Entries of `folder` (not recursive, without "." and ".."), sorted by name. Throws naming the folder.
std::vector<DirEntry> list_directory(const std::string& folder);

// lstat of one path; nullopt when it does not exist.
std::optional<DirEntry> stat_entry(const std::string& path);

// stat of a path the operator named (a configured folder, a command's argument), following a link
// to a mount elsewhere; nullopt when it, or its target, does not exist. Entries found inside are
// lstat'ed (stat_entry, list_directory): links there are never followed.
std::optional<DirEntry> stat_named(const std::string& path);
// Whether `path` is a folder or a link to one (stat_named).
bool is_folder(const std::string& path);
// A file the operator named: a symbolic link to a file is resolved to the file it points to (the
// storage layer never follows a link, and the file's manifest is beside it); any other path, a
// link to a folder or one that leads nowhere included, is returned as given.
std::string named_file(const std::string& path);

// Which file a path names right now: equal identities mean the same unchanged file, so a reader
// that opens a path twice can tell whether it was replaced (renamed over) in between.
struct FileIdentity {
  unsigned long long device = 0;
  unsigned long long inode = 0;
  unsigned long long size = 0;
  long long mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// stat of a path (following links); nullopt when it does not exist.
std::optional<FileIdentity> file_identity(const std::string& path);

// Reads at most `max_bytes` from the start of a file.
std::string read_file_head(const std::string& path, size_t max_bytes);
// Reads a whole (small) file.
std::string read_file(const std::string& path);

// Writes all of `data` to fd, retrying on EINTR and short writes; throws naming `what`.
void write_all(int fd, const void* data, size_t size, const std::string& what);

// renameat(2) within the folder `dir_fd` (AT_FDCWD: paths) that fails rather than replace an
// existing `to`: false then. On a file system without RENAME_NOREPLACE the check and the rename
// are two steps, which the caller's lock must cover.
bool rename_no_replace(int dir_fd, const std::string& from, const std::string& to, const std::string& shown);

// fsync of a folder, so that a rename inside it is durable.
void fsync_directory(const std::string& folder);

// Folder part and name part of a path ("a/b/c" -> "a/b", "c"; "c" -> ".", "c").
std::string parent_path(const std::string& path);
std::string base_name(const std::string& path);
std::string join_path(const std::string& folder, const std::string& name);

// Whether the folder exists and this process may create files in it (access W_OK|X_OK).
bool directory_writable(const std::string& folder);

// Resolves symlinks and "..": the canonical absolute path, or nullopt when it does not exist.
std::optional<std::string> real_path(const std::string& path);

}  // namespace mysqlpitr::io
