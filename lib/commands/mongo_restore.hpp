#pragma once
// `mongo-restore [BACKUP] [--db NAME]... [--no-drop] [--jobs N] [--dry-run]`: restores a backup_*
// folder (ours or mongodump's): every database but admin/config/local (total) or the named ones
// (partial). Plan (needs no server), SI, then drop/create/insert/index per collection.
#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct MongoRestoreOptions {
  std::string backup;                  // a folder path, or a backup_* name in mongo.backup_dir; else a menu
  std::vector<std::string> databases;  // --db; empty: total
  bool no_drop = false;
  std::optional<long long> jobs;       // default backup.jobs
  bool dry_run = false;
};

Report run_mongo_restore(Context& context, const MongoRestoreOptions& options);

}  // namespace mysqlpitr::commands
