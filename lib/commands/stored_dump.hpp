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
#include "sqlload/dump_reader.hpp"

namespace mysqlpitr::commands {

struct StoredDump {
  std::string url;  // the file's path or the object's s3:// URL: what messages show
  std::string what = "file";  // "file" or "object", for messages
  sqlload::DumpSource source;
  unsigned long long size = 0;
  std::optional<nlohmann::json> record;
  std::string record_place;  // where the record is kept, for messages
};

// The dump file at `path`, read through the posix driver of its folder. A link the operator named
// is read as the file it points to, beside that file's manifest. Throws usage_error (exit 2) when
// no regular file is there.
StoredDump local_dump(const std::string& path, crypto::KeyRing* keys);

// Throws precondition_error (exit 5), naming the dump and what differs, when it has a record that
// `found` does not match.
void require_record_match(const StoredDump& stored, const dump::FileFacts& found);

}  // namespace mysqlpitr::commands
