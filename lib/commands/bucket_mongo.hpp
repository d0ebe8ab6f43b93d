#pragma once
// MongoDB dump folders in the bucket's "mongo" folder (repository.mode s3 or both). A dump folder
// backup_<date>/ is kept as one object per file, "<folder>/<relative path>" (the mongodump layout,
// escaped names as they are on disk), and one record whose key is the folder's name, listing every
// file with its size and SHA-256. The record is written last and removed first: a folder without a
// record is unfinished (a killed upload or prune) and is neither listed, restored nor kept.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/backup_expiry.hpp"
#include "catalog/inventory.hpp"
#include "commands/command.hpp"
#include "commands/context.hpp"
#include "config/settings.hpp"
#include "mongo/backup.hpp"
#include "mongo/dump_folder.hpp"

namespace mysqlpitr::commands {

class VerifyResults;

// Uploads every file of a finished local dump folder, checks each object's size and SHA-256
// against what the backup wrote (`result.stored`), then writes the folder's record. Throws a
// failure naming the object.
nlohmann::json upload_mongo_dump(Context& context, const mongo::BackupResult& result);

// `backup --kind mongo` in mode both: uploads the finished folder (upload_mongo_dump).
void store_mongo_dump_in_bucket(Context& context, const mongo::BackupResult& result, Report& report);

// Mode s3: the bucket's mongo folder, which `backup --kind mongo` streams every file into (nothing
// is written locally); null in modes local and both.
std::shared_ptr<storage::Storage> mongo_bucket_for_streaming(const config::Settings& settings);
// After a streamed dump: the folder's record (every file with its size and SHA-256) written last,
// and the report's entry given its URL instead of a local path.
void record_streamed_mongo_dump(Context& context, const mongo::BackupOptions& request,
                                const mongo::BackupResult& result, Report& report);

// The recorded dump folders of the bucket (path: their s3:// URL), newest first; empty in mode local.
// `only`: that name alone.
std::vector<catalog::BackupEntry> bucket_mongo_dumps(const config::Settings& settings, const std::string& only = "");
// Mode both: what is wrong with the dump folder `folder` of mongo.backup_dir against the record of
// the bucket's dump of that name (a file it lists missing, or of another size: cut short); empty
// when it matches, there is no such record or the folder is elsewhere (mode local: always empty).
// Reads the listing, not the files.
std::string local_copy_problem(const config::Settings& settings, const std::filesystem::path& folder);
// Adds the bucket's dumps that `entries` (local ones) lacks, keeping newest first.
void add_bucket_only(const config::Settings& settings, std::vector<catalog::BackupEntry>& entries);
bool is_bucket_entry(const catalog::BackupEntry& entry);
// The databases a recorded dump folder of the bucket holds (the folders of its files, as mongodump
// names them), for `status`; empty when it has no record.
std::vector<std::string> bucket_mongo_databases(const config::Settings& settings, const std::string& name);

// `list mongo`: marks local items "where": local/both and adds the dumps only in the bucket.
void add_bucket_mongo_listing(const config::Settings& settings, std::vector<catalog::BackupEntry>& entries,
                              nlohmann::json& items);

// `verify` without paths: every recorded dump in the bucket, each object read back and checked.
void verify_bucket_mongo(Context& context, VerifyResults& results);

// `mongo-restore NAME` of a dump only in the bucket: the dump as its record lists it, each file
// streamed from its object when read (the plan's metadata and document counts, the restore's
// documents), never downloaded; a file that does not match its record (size, SHA-256) is an error
// naming it at its end, so the plan, which reads every file it restores, refuses it before
// anything is dropped.
mongo::DumpFolder bucket_mongo_dump_folder(Context& context, const std::string& name);

// `prune`: the retention decisions for the bucket's dumps (kept apart from the local copies, so a
// local copy never stands for the bucket's), and the removal of one (record first, then objects).
std::vector<catalog::RetentionDecision> bucket_mongo_retention(const config::Settings& settings,
                                                               const catalog::RetentionRule& rule,
                                                               crypto::KeyRing* keys);
void remove_bucket_mongo_dump(const config::Settings& settings, const catalog::BackupEntry& entry);

}  // namespace mysqlpitr::commands
