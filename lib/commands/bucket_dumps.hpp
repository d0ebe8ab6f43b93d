#pragma once
// Historical and schema dumps in the S3 repository (repository.mode s3 or both), under
// <s3.prefix>/<kind>/<legacy name> with a bucket record (catalog/bucket_record.hpp). Mode both
// writes and publishes locally as mode local does, then uploads the same file, checks its SHA-256
// and size against the local manifest's entry and writes the record. Mode s3 streams each file
// straight into the bucket (dump::DumpRequest::destination): nothing but the workers' temporary
// segments is written locally. PITR bases stream the same way in mode s3 (their record holds the
// coordinates); in mode both bucket_pitr.hpp uploads them.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/context.hpp"
#include "commands/stored_dump.hpp"

namespace mysqlpitr::commands {

// Whether this slice of the repository handles the kind (historical and schema dumps).
bool bucket_dump_kind(catalog::BackupKind kind);

// Where each file of the plan goes in the bucket (its s3:// URL), empty in mode local.
std::vector<std::string> bucket_plan_urls(const config::Settings& settings, const DumpPlan& plan);

// The dry run's lines for the bucket copies of the plan's files ("" in mode local).
std::string bucket_plan_text(const DumpPlan& plan);

// Mode both: uploads, checks and records each written file of the report; a failure is an error
// of the report (exit 1) naming the object, and the local file stays. Mode s3 (streamed): the
// report's entries get their "url" (their "path" is null: there is no local file).
void store_dumps_in_bucket(Context& context, const DumpPlan& plan, Report& report);

}  // namespace mysqlpitr::commands

namespace mysqlpitr::commands {

// The dump `key` of `bucket` (`size` bytes) as a restore reads it, with its record when it has one.
// `keys` decrypt an encrypted dump as it is read.
StoredDump bucket_dump(std::shared_ptr<storage::Storage> bucket, const std::string& key, unsigned long long size,
                       crypto::KeyRing* keys);

// The object an `s3://bucket/prefix/historical/<name>` (or .../schema/<name>) argument names in the
// configured bucket; nullopt when `file` is no s3:// URL. A URL of another bucket or folder, or of
// a missing object, is a usage error naming it.
// `keys` decrypt an encrypted dump as it is read.
std::optional<StoredDump> bucket_dump_from_url(const config::Settings& settings, const std::string& file,
                                               crypto::KeyRing* keys);

// In modes s3/both: the newest historical dump of `database` in the bucket (its date beginning
// with `date` when given), nullopt when there is none or the mode is local.
std::optional<StoredDump> newest_bucket_dump(const config::Settings& settings, const std::string& database,
                                             const std::string& date, crypto::KeyRing* keys);

}  // namespace mysqlpitr::commands

namespace mysqlpitr::commands {
class BackupListing;
// `list backups` in modes s3/both: the bucket's historical and schema dumps joined to the local
// entries (one entry per name: "both" when the name is in the two places), newest first; each
// entry's JSON item gets "where" and, for the bucket's, "url". Mode local: nothing changes.
void add_bucket_backups(Context& context, const std::string& database, BackupListing& listing);
}  // namespace mysqlpitr::commands
