#pragma once
// A dump as a restore reads it: a file of a folder on this host or an object of the bucket, both
// through the storage layer and streamed (never downloaded whole first), with its size and its
// record: the folder manifest's entry, or the object's bucket record. A dump without one (an old
// script's) is checked by its content alone: whole stream and completion marker.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/key.hpp"
#include "dump/file_check.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "sqlload/dump_reader.hpp"

namespace mysqlpitr::commands {

struct StoredDump {
  std::string url;  // the file's path or the object's s3:// URL: what messages show
  std::string what = "file";  // "file" or "object", for messages
  sqlload::DumpSource source;
  unsigned long long size = 0;
  std::optional<nlohmann::json> record;
  std::string record_place;  // where the record is kept, for messages
  // A local file's, taken before anything of it is read: a restore reads a dump twice (its check,
  // then its load), by name, and another file may be renamed over it in between (a backup, a copy).
  std::optional<io::FileIdentity> identity;
};

// The dump file at `path`, read through the posix driver of its folder. A link the operator named
// is read as the file it points to, beside that file's manifest. Throws usage_error (exit 2) when
// no regular file is there.
StoredDump local_dump(const std::string& path, crypto::KeyRing* keys);

// Throws precondition_error (exit 5), naming the dump and what differs, when it has a record that
// `found` does not match.
void require_record_match(const StoredDump& stored, const dump::FileFacts& found);

// Whether a local dump's file is still the one first read (same inode, size and modification
// time); an object of the bucket is told by the digest of what its load read (opened_source).
bool unchanged(const StoredDump& stored);

// The dump opened now, for its load: checked with unchanged() right after this call and before
// anything is touched, the stream is the file first read, whatever is renamed over it later. The
// source gives that stream to the one pass that reads it, feeding every stored byte into `digest`,
// which the caller compares with the check's SHA-256 once the load is done.
sqlload::DumpSource opened_source(const StoredDump& stored, io::Sha256& digest);

}  // namespace mysqlpitr::commands
