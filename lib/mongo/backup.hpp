#pragma once
// A native mongodump: backup_<date>/<db>/<stem>.bson[.gz] + <stem>.metadata.json[.gz], written
// through a storage folder writer (storage::FolderWriter) into the posix storage of backup_dir or,
// with a `destination` (the bucket in repository.mode s3), into "backup_<date>/<db>/<file>" objects
// and nothing locally. In backup_dir the folder is built under ".backup_<date>.partial" (no legacy
// glob matches it) and renamed once every file is written and synced; on failure or an interrupt it
// is removed: no backup_* is left behind. In a bucket the caller records the folder
// (BackupResult::stored) once every object is whole, and on failure the objects written are removed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "crypto/key.hpp"
#include "mongo/client.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::mongo {

struct BackupOptions {
  std::filesystem::path backup_dir;
  std::string folder_name;             // "backup_<date>"
  std::vector<std::string> databases;  // empty: every database but admin, config, local
  bool gzip = false;
  int gzip_level = 6;
  int jobs = 1;
  std::int32_t batch_size = 1000;      // documents per getMore
  std::shared_ptr<storage::Storage> destination;  // null: the folder in backup_dir
  // Set: every file is encrypted with it and named with ".enc" ("c1.bson.gz.enc").
  const crypto::Key* encryption_key = nullptr;
};

// A file of the dump as written (into the folder or `destination`): its path under the dump folder
// ("db1/c1.bson") and the stored bytes' size and SHA-256.
struct StoredFile {
  std::string path;
  std::uint64_t size = 0;
  std::string sha256;
};

struct BackedUpCollection {
  std::string database;
  std::string name;
  std::string type;  // collection, view, timeseries
  std::uint64_t documents = 0;
  std::uint64_t bytes = 0;  // BSON bytes before compression
  std::filesystem::path data_file;  // empty for views
  std::uint64_t size = 0;           // of the data file as stored (after compression)
};

struct BackupResult {
  std::filesystem::path folder;
  std::vector<std::string> databases;
  std::vector<BackedUpCollection> collections;
  std::vector<StoredFile> stored;  // every file written, sorted by path
  std::uint64_t documents() const;
  std::uint64_t bytes() const;
};

// Which collections mongodump dumps from a database (facts from mongodump's
// shouldSkipSystemNamespace): system.* only in admin (but not system.keys) or as system.js;
// in config everything when named; never names holding '$'.
bool dumps_collection(const std::string& database, const std::string& collection);

// Called after each collection, from worker threads (one call at a time).
using BackupProgress = std::function<void(const BackedUpCollection&)>;

BackupResult run_backup(const ConnectionSettings& settings, const BackupOptions& options,
                        const BackupProgress& progress = {});

}  // namespace mysqlpitr::mongo
