#pragma once
// `restore-historical [FILE] [--db NAME [--date DATE]] [--into NAME] [--jobs N] [--replace]
// [--skip-binlog] [--dry-run]`: loads one historical dump (ours or the old scripts' mysqldump
// files) after reading it whole to prove it is intact; with --into, under another database name.
#include <optional>
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct RestoreHistoricalOptions {
  std::string file;      // a dump file; else the newest of --db (or of --date), else a menu
  std::string database;  // --db
  std::string date;      // --date: the date part of the name, or its beginning (2026-11-23)
  std::string into;      // --into
  std::optional<long long> jobs;  // default backup.jobs
  bool replace = false;
  bool skip_binlog = false;
  bool dry_run = false;
};

Report run_restore_historical(Context& context, const RestoreHistoricalOptions& options);

}  // namespace mysqlpitr::commands
