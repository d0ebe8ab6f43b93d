#pragma once
// The archive folder as the storage layer sees it (its posix driver): the archive's record, its
// listing and retention read, write and remove objects through it, with the driver's durable
// writes (temporary name, fsync, rename, fsync of the folder).
#include <memory>
#include <string>

#include "storage/storage.hpp"

namespace mysqlpitr::archive {

// nullptr when `folder` is unset or does not exist yet (nothing archived there).
std::unique_ptr<storage::Storage> open_archive(const std::string& folder);

}  // namespace mysqlpitr::archive
