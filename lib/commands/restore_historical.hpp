#pragma once
// `restore-historical [FILE] [--db NAME [--date DATE]] [--into NAME] [--jobs N] [--replace]
// [--skip-binlog] [--dry-run]`: loads one historical dump (ours or the old scripts' mysqldump
// files) after reading it whole to prove it is intact; with --into, under another database name.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/command.hpp"
#include "sqlload/inspect.hpp"

namespace mysqlpitr::commands {

struct RestoreHistoricalOptions {
  std::string file;      // a dump file or an s3:// URL of one in the bucket; else the newest of --db (or of --date), else a menu
  std::string database;  // --db
  std::string date;      // --date: the date part of the name, or its beginning (2026-11-23)
  std::string into;      // --into
  bool replace = false;
  bool skip_binlog = false;
  bool dry_run = false;
};

struct StoredDump;

// The dump (read whole and verified), what it restores where, and what it drops.
class HistoricalPlan : public Plan {
 public:
  std::string path;  // the dump's file, or its s3:// URL in the bucket
  std::shared_ptr<const StoredDump> dump;  // read through the storage layer (commands/stored_dump.hpp)
  sqlload::DumpInspection inspection;
  std::string source;
  std::string target;
  bool renamed = false;
  bool target_exists = false;
  bool dump_creates_target = false;
  std::vector<std::string> dropped;         // existing databases the restore drops
  std::vector<std::string> dropped_tables;  // how many tables each holds now
  unsigned jobs = 2;
  bool replace = false, skip_binlog = false, dry_run = false;

  std::string text() const override;
  nlohmann::json json() const override;
};

Report execute_restore_historical(Context& context, const HistoricalPlan& plan);
Command restore_historical_command(const RestoreHistoricalOptions& options);

}  // namespace mysqlpitr::commands
