#pragma once
// A file that rotate-binlogs finds in the archive under a binlog's name but did not verify itself
// (an old script's copy, another history after RESET MASTER or a rebuild, a torn copy) is never
// replaced or deleted: it is moved into the archive's hidden `.mysqlpitr-aside/` folder as
// `<name>.aside-<UTC time>`. Every reader of the archive (binlog listings, the PITR chain, prune,
// retention, verify) lists only the folder's own regular files with binlog names, so none of them
// takes it for a binlog; the operator decides what becomes of it.
#include <ctime>
#include <string>

namespace mysqlpitr::archive {

inline constexpr const char* kAsideFolder = ".mysqlpitr-aside";

// "<name>.aside-<UTC time>", the name a file set aside takes (attempt > 1: "-<attempt>" after it,
// when that name is taken). A bucket's binlog folder uses it too (commands/bucket_binlogs.cpp).
std::string aside_name(const std::string& name, std::time_t now, int attempt = 1);

// Moves `archive_folder/name` aside by rename (same file system: the bytes are never rewritten),
// never over an existing file; returns the new path. The caller holds the archive's run lock.
std::string set_aside(const std::string& archive_folder, const std::string& name, std::time_t now);

}  // namespace mysqlpitr::archive
