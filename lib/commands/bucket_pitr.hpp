#pragma once
// PITR bases and archived binlogs between the local folders and the bucket (repository.mode s3 or
// both): a new base uploaded with its manifest entry (coordinates included) as its record; a
// restore-pitr reads what only the bucket holds from the bucket itself, streamed (the base) or by
// ranged reads (the binlogs), each object checked against its record, nothing written locally.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/context.hpp"
#include "commands/stored_dump.hpp"
#include "pitr/chain.hpp"

namespace mysqlpitr::commands {

// After `backup --kind pitr-base` in mode both: each base in report.data["backups"] (written into
// `folder`) uploaded to pitr-base/<name> and checked (mode s3 streams bases while they are dumped:
// bucket_dumps.hpp). A failed upload is an error naming the object; the local file stays.
void upload_pitr_bases(Context& context, const std::string& folder, Report& report);

// Modes s3/both: the base of `database` in the bucket, streamed from the object, with its record
// (size, SHA-256, coordinates) to check what was read against (nullopt in mode local or when there
// is none). An object without a record is refused (precondition error naming it).
std::optional<StoredDump> bucket_pitr_base(const config::Settings& settings, const std::string& database,
                                           crypto::KeyRing* keys);

// The archived binlogs of the bucket a restore-pitr may replay.
struct BucketBinlogs {
  std::vector<pitr::FoundBinlog> found;          // path: the s3:// URL; read by ranges
  std::map<std::string, nlohmann::json> records;  // by name
};

// The local archive's binlogs of `prefix` that a restore reads, encrypted ones through the
// configured keys; a plain file where the archive's record says an encrypted one was written is
// refused (exit 1) before anything is changed.
std::vector<pitr::FoundBinlog> archive_binlogs(Context& context, const std::string& folder, const std::string& prefix);

// Modes s3/both: the recorded binlogs of the bucket from `start_file` on (same prefix) that
// `local` (the local archive) lacks; empty in mode local. Only their records are read. Encrypted
// ones are listed by the binlog they hold (the record's plain size) and read through `keys`.
BucketBinlogs bucket_binlogs(const config::Settings& settings, const std::string& start_file,
                             const std::vector<pitr::FoundBinlog>& local, crypto::KeyRing* keys);

}  // namespace mysqlpitr::commands
