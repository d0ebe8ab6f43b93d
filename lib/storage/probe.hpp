#pragma once
// A round trip through a storage with a small object of its own: written and published, listed,
// read back and compared, removed, and seen to be gone. What `check` runs against the bucket, so
// a wrong endpoint, a bad key or a bucket policy missing one permission shows before a backup.
#include <string>

#include "storage/storage.hpp"

namespace mysqlpitr::storage {

// Throws an Error naming the step that failed and the object (storage.describe(key)). The object
// is removed even when a later step fails.
void probe(Storage& storage, const std::string& key);

}  // namespace mysqlpitr::storage
