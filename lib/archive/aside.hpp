#pragma once
// A file that rotate-binlogs finds in the archive under a binlog's name but did not verify itself
// (an old script's copy, another history after RESET MASTER or a rebuild, a torn copy) is never
// replaced or deleted: it is moved into the archive's hidden `.mysqlpitr-aside/` folder as
// `<name>.aside-<UTC time>`. Every reader of the archive (binlog listings, the PITR chain, prune,
// retention, verify) lists only the folder's own regular files with binlog names, so none of them
// takes it for a binlog; the operator decides what becomes of it.
#include <ctime>
#include <string>

#include "storage/storage.hpp"

namespace mysqlpitr::archive {

inline constexpr const char* kAsideFolder = ".mysqlpitr-aside";

// "<name>.aside-<UTC time>", the name a file set aside takes (attempt > 1: "-<attempt>" after it,
// when that name is taken).
std::string aside_name(const std::string& name, std::time_t now, int attempt = 1);

// Moves the object `name` of an archive (a folder's posix storage: by rename, the bytes never
// rewritten; a bucket's binlog folder: copied whole, then removed) to `.mysqlpitr-aside/` under its
// aside name, never over anything; returns its new key. The caller holds the archive's run lock.
std::string set_aside(storage::Storage& archive, const std::string& name, std::time_t now);

}  // namespace mysqlpitr::archive
