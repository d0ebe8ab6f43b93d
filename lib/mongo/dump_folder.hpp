#pragma once
// What a mongodump --out folder holds, read the way mongorestore reads it: one sub-folder per
// database; in it <stem>.bson (or .bson.gz, or legacy .bin) and <stem>.metadata.json(.gz), the
// stem being the escaped (possibly truncated) collection name. Nothing here talks to a server.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key.hpp"
#include "mongo/byte_file.hpp"
#include "mongo/metadata.hpp"

namespace mysqlpitr::mongo {

struct DumpCollection {
  std::string database;
  std::string name;                     // as MongoDB knows it (unescaped, untruncated)
  std::filesystem::path data_file;      // empty: metadata only (a view, or no .bson)
  std::filesystem::path metadata_file;  // empty: data only (collection created implicitly)
  std::optional<CollectionMetadata> metadata;
  std::uint64_t data_bytes = 0;  // size on disk of data_file
  // Where documents go: the collection itself, or system.buckets.<name> for time series.
  std::string data_collection() const;
  bool is_view() const { return metadata && metadata->is_view(); }
};

struct DumpNote {
  std::filesystem::path path;
  std::string reason;
};

struct DumpFolder {
  std::filesystem::path root;
  std::vector<std::string> databases;        // sorted
  std::vector<DumpCollection> collections;   // sorted by database, then name
  std::vector<DumpNote> ignored;             // oplog.bson, prelude.json, archives, strays
  std::vector<DumpNote> problems;            // files that cannot be restored as they are
  FileOpener open;  // how its files are read (from the folder on this host or the bucket, decrypted)

  std::vector<const DumpCollection*> in_database(const std::string& database) const;
};

// A folder on this host, listed and read through lib/storage's posix driver: its listing and every
// metadata file (small) are read, .bson files are not. Encrypted files (".enc") are read with `keys`.
DumpFolder scan_dump_folder(const std::filesystem::path& root, crypto::KeyRing* keys = nullptr);

// The same over a dump held elsewhere (a bucket): its files by path relative to `root` (with '/')
// and their sizes, read through `open` (metadata files here, .bson ones by the plan and restore).
DumpFolder scan_dump_listing(const std::filesystem::path& root, const std::map<std::string, std::uint64_t>& files,
                             FileOpener open);

}  // namespace mysqlpitr::mongo
