#pragma once
// Where backups are kept, from [repository] mode, [paths] and [s3]: the settings turned into the
// storage drivers the writers and readers use. In the bucket, each kind has a folder of its own
// under s3.prefix, named as its run-lock scope ("historical", "schema", "pitr-base", "mongo",
// "binlogs"), holding the same names as the local folders, so `aws s3 ls` reads like `ls`.
#include <memory>
#include <string>

#include "catalog/naming.hpp"
#include "config/settings.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {

enum class RepositoryMode { local, s3, both };

RepositoryMode repository_mode(const config::Settings& settings);
inline bool uses_bucket(RepositoryMode mode) { return mode != RepositoryMode::local; }

// The bucket folder of a kind of backup, and of the binlog archive.
std::string bucket_folder(catalog::BackupKind kind);
inline constexpr const char* kBinlogBucketFolder = "binlogs";

// The driver options for a folder of the bucket (keys relative to <s3.prefix>/<folder>; the
// prefix itself when `folder` is empty).
storage::S3Options s3_options(const config::Settings& settings, const std::string& folder);
std::unique_ptr<storage::Storage> open_bucket(const config::Settings& settings, const std::string& folder);

}  // namespace mysqlpitr::commands
