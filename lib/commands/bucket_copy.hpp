#pragma once
// One file from a local folder to a bucket folder of the repository, checked end to end: the
// upload's size and SHA-256 are compared with what the local copy is known to hold, and its record
// describes the object under the key whatever fails on the way.
#include <string>

#include <nlohmann/json.hpp>

#include "storage/storage.hpp"

namespace mysqlpitr::commands {

// Uploads `name` from `local` to `bucket` (same key) with `record` as its record
// (catalog::publish_recorded). An upload that does not match the record's "size"/"sha256" (what
// the local copy is known to hold) is an error naming the object.
void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    const nlohmann::json& record);

}  // namespace mysqlpitr::commands
