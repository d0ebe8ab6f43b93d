#pragma once
// `mongo-restore [BACKUP] [--db NAME]... [--no-drop] [--jobs N] [--dry-run]`: restores a backup_*
// folder (ours or mongodump's): every database but admin/config/local (total) or the named ones
// (partial). Plan (needs no server), SI, then drop/create/insert/index per collection.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/command.hpp"
#include "mongo/restore_plan.hpp"

namespace mysqlpitr::commands {

struct MongoRestoreOptions {
  std::string backup;                  // a folder path, or a backup_* name in mongo.backup_dir; else a menu
  std::vector<std::string> databases;  // --db; empty: total
  bool no_drop = false;
  bool dry_run = false;
};

// The collections a restore drops, creates and fills, with the parallelism it will use.
class MongoRestorePlan : public Plan {
 public:
  explicit MongoRestorePlan(mongo::RestorePlan plan) : restore(std::move(plan)) {}
  mongo::RestorePlan restore;
  int jobs = 1;
  bool dry_run = false;

  std::string text() const override;
  nlohmann::json json() const override;
  bool has_work() const override { return !restore.items.empty(); }
  std::string idle_note() const override { return dry_run ? dry_run_note() : std::string(); }
};

// Reads the dump folder (a menu when BACKUP is not given); --jobs is checked here, before any SI.
MongoRestorePlan plan_mongo_restore(Context& context, const MongoRestoreOptions& options);
Report execute_mongo_restore(Context& context, const MongoRestorePlan& plan);
Command mongo_restore_command(const MongoRestoreOptions& options);

}  // namespace mysqlpitr::commands
