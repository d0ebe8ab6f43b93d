#pragma once
// `backup [--kind historical|schema|pitr-base|all] [--db NAME]... [--jobs N] [--compression gzip|zstd|none]
// [--level N] [--dry-run]`. Each kind is one entry of backup_kinds(); `all` runs every entry marked
// for it, one after the other, each under its own folder lock.
#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct BackupOptions {
  std::string kind = "historical";
  std::vector<std::string> databases;
  std::optional<long long> jobs;      // default backup.jobs
  std::string compression;            // default backup.compression
  std::optional<long long> level;     // default backup.level
  bool dry_run = false;
  bool gzip = false;                  // mongo: .bson.gz/.metadata.json.gz like mongodump --gzip
};

// One kind of backup. `run` fills a Report whose data holds at least "backups": [{kind, database,
// path, size, ...}]; it throws for a failure of the whole kind.
struct BackupKindEntry {
  const char* name;
  bool in_all;  // part of --kind all
  Report (*run)(Context& context, const BackupOptions& options);
};
const std::vector<BackupKindEntry>& backup_kinds();

// The MySQL kinds (backup_mysql.cpp).
Report run_backup_historical(Context& context, const BackupOptions& options);
Report run_backup_schema(Context& context, const BackupOptions& options);
Report run_backup_pitr_base(Context& context, const BackupOptions& options);
// The MongoDB kind (backup_mongo.cpp).
Report run_backup_mongo(Context& context, const BackupOptions& options);

Report run_backup(Context& context, const BackupOptions& options);

}  // namespace mysqlpitr::commands
