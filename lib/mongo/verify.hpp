#pragma once
// Checks a mongodump folder without a server: every metadata file parses, every .bson reads whole
// (document lengths consistent to the end of the file), names resolve. Used by `verify` and by
// `list mongo` (which needs the per-database sizes).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/key.hpp"
#include "mongo/dump_folder.hpp"

namespace mysqlpitr::mongo {

struct VerifiedCollection {
  std::string database;
  std::string name;
  std::filesystem::path data_file;
  std::uint64_t documents = 0;
  std::uint64_t file_bytes = 0;  // on disk (compressed when gzip)
  std::string error;             // empty: whole
};

struct VerifyReport {
  std::filesystem::path folder;
  std::vector<VerifiedCollection> collections;
  std::vector<DumpNote> ignored;
  std::vector<std::string> errors;  // every problem, each naming its file (and offset)
  bool ok() const { return errors.empty(); }
  std::uint64_t documents() const;
};

// True when `path` is a folder laid out as a mongodump --out folder (a database sub-folder holding
// .bson or .metadata.json files), so that `verify PATH` can tell it from MySQL backups.
bool looks_like_dump_folder(const std::filesystem::path& path);

// Encrypted files (".enc") are authenticated and read with `keys`; without their key they fail.
VerifyReport verify_dump_folder(const std::filesystem::path& path, crypto::KeyRing* keys = nullptr);

// Why no configured key reads the dump (empty when one does, or the dump is not encrypted): one
// encrypted file's header names the key of the whole dump, so only its header is read.
std::string key_problem(const std::filesystem::path& path, crypto::KeyRing* keys);

struct DatabaseSummary {
  std::string name;
  std::size_t collections = 0;
  std::uint64_t bytes = 0;  // on disk
};
// Databases, collection counts and sizes from the listing alone (fast, for `list mongo`).
std::vector<DatabaseSummary> summarize_dump_folder(const std::filesystem::path& path);

}  // namespace mysqlpitr::mongo
