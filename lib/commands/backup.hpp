#pragma once
// `backup [--kind historical|schema|pitr-base|all] [--db NAME]... [--jobs N] [--compression gzip|zstd|none]
// [--level N] [--dry-run]`. Each kind is one entry of backup_kinds(); `all` runs every entry marked
// for it, one after the other, each under its own folder lock.
#include <optional>
#include <string>
#include <vector>

#include "catalog/naming.hpp"
#include "commands/command.hpp"
#include "dump/dumper.hpp"
#include "mongo/backup.hpp"

namespace mysqlpitr::commands {

struct BackupOptions {
  std::string kind = "historical";
  std::vector<std::string> databases;
  std::string compression;            // default backup.compression
  bool dry_run = false;
  bool gzip = false;                  // mongo: .bson.gz/.metadata.json.gz like mongodump --gzip
};

// One kind of backup, run by the runner. Its report's data holds at least "backups": [{kind,
// database, path, size, ...}]; it throws for a failure of the whole kind.
struct BackupKindEntry {
  const char* name;
  bool in_all;  // part of --kind all
  Command (*command)(const BackupOptions& options);
};
const std::vector<BackupKindEntry>& backup_kinds();

// A MySQL dump (backup_mysql.cpp): the request with its date fixed and its databases listed, so
// that the files printed are the files written.
class DumpPlan : public Plan {
 public:
  dump::DumpRequest request;
  catalog::BackupKind catalog_kind = catalog::BackupKind::historical;
  std::vector<std::pair<std::string, std::string>> files;  // database ("" for the schema dump), file name
  bool dry_run = false;
  std::vector<std::string> bucket_urls;  // per file, its object in the bucket (modes s3, both)
  bool keep_local = true;                // mode s3: the local file is only a spool
  // mysqlpitr's own databases (mysql::is_own_database) left out when none was named: said, so a
  // site database of such a name is never skipped unseen.
  std::vector<std::string> skipped_own;

  std::string text() const override;
  nlohmann::json json() const override;
  std::string dry_run_note() const override { return "dry run: nothing written"; }
};
DumpPlan plan_dump(Context& context, const BackupOptions& options, dump::DumpKind kind);
Report execute_dump(Context& context, const DumpPlan& plan);
Command backup_historical_command(const BackupOptions& options);
Command backup_schema_command(const BackupOptions& options);
Command backup_pitr_base_command(const BackupOptions& options);

// A MongoDB dump (backup_mongo.cpp): its folder's name; a dry run's, the collections too.
class MongoBackupPlan : public Plan {
 public:
  struct Collection {
    std::string database, name, type;
  };
  mongo::BackupOptions request;
  std::vector<Collection> collections;
  bool dry_run = false;

  std::string text() const override;
  nlohmann::json json() const override;
  std::string dry_run_note() const override { return "dry run: nothing written"; }
};
Report execute_backup_mongo(Context& context, const MongoBackupPlan& plan);
Command backup_mongo_command(const BackupOptions& options);

Report run_backup(Context& context, const BackupOptions& options);

}  // namespace mysqlpitr::commands
