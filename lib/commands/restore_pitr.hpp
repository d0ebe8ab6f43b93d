#pragma once
// `restore-pitr --db NAME [--stop-datetime T | --stop-position FILE:POS | --stop-gtid GTID |
// --until-binlog FILE] [--base FILE] [--into NAME [--replace]] [--include-ambiguous] [--resume] [--dry-run]`:
// restores the database's PITR base, then replays that database's changes from the base's binlog
// coordinates up to the stop point. Plan first (exit 5 on any missing piece, before anything is
// touched), SI, load, replay, report.
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct RestorePitrOptions {
  std::string database;
  std::string stop_datetime, stop_position, stop_gtid, until_binlog;
  std::string base;
  std::string into;
  bool include_ambiguous = false;
  bool replace = false;  // --into an existing database drops it
  bool resume = false;
  bool skip_binlog = false;
  bool dry_run = false;
  long long group_transactions = 1000;  // transactions per commit
};

Report run_restore_pitr(Context& context, const RestorePitrOptions& options);

}  // namespace mysqlpitr::commands
