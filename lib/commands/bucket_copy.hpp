#pragma once
// One file between a local folder and a bucket folder of the repository, checked end to end: an
// upload is published, its size and SHA-256 compared with what the local copy is known to hold,
// then its record written; a download is checked against the object's record before it gets its
// final local name.
#include <string>

#include <nlohmann/json.hpp>

#include "storage/storage.hpp"

namespace mysqlpitr::commands {

// Uploads `name` from `local` to `bucket` (same key) and writes `record` after it. An upload that
// does not match `size`/`sha256` is removed and is an error naming the object.
void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    unsigned long long size, const std::string& sha256, const nlohmann::json& record);

}  // namespace mysqlpitr::commands
