#pragma once
// `restore-pitr --db NAME [--table T]... [--stop-datetime T | --stop-position FILE:POS | --stop-gtid GTID |
// --until-binlog FILE] [--base FILE] [--into NAME [--replace]] [--include-ambiguous] [--resume] [--dry-run]`:
// restores the database's PITR base, then replays that database's changes from the base's binlog
// coordinates up to the stop point (with --table: only those tables, see restore_pitr_tables.hpp).
// Plan first (exit 5 on any missing piece, before anything is
// touched), SI, load, replay, report.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/coordinates.hpp"
#include "commands/command.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"
#include "pitr/plan.hpp"
#include "pitr/resume_record.hpp"
#include "sqlload/inspect.hpp"

namespace mysqlpitr::commands {

struct RestorePitrOptions {
  std::string database;
  std::vector<std::string> tables;  // --table: only these tables of the database
  std::string stop_datetime, stop_position, stop_gtid, until_binlog;
  std::string base;
  std::string into;
  bool include_ambiguous = false;
  bool replace = false;  // --into an existing database drops it
  bool resume = false;
  bool skip_binlog = false;
  bool dry_run = false;
  long long group_transactions = 1000;  // transactions per commit
  // --flashback (restore_flashback.hpp): undo the row changes from --since / --since-position on.
  bool flashback = false;
  std::string since, since_position;
  bool skip_conflicts = false;
};

struct StoredDump;
struct BucketBinlogs;

// The PITR base a replay starts from: a file of this host or an object of the bucket, read through
// the storage layer (commands/stored_dump.hpp), with the coordinates its header gives.
struct PitrBase {
  std::string path;  // the file's path or the object's s3:// URL
  catalog::BinlogCoordinates coordinates;
  std::shared_ptr<const StoredDump> dump;
};

// The base, the binlog chain to the stop point and what the replay will touch; on the connection
// the execution goes on with.
class RestorePitrPlan : public Plan {
 public:
  RestorePitrOptions options;
  pitr::Plan plan;
  PitrBase base;
  sqlload::DumpInspection base_inspection;  // read in the plan when the base is to be loaded
  mysql::ServerFacts facts;
  std::optional<pitr::ResumeRecord> progress;
  std::shared_ptr<mysql::Connection> connection;

  std::string text() const override;
  nlohmann::json json() const override;
  // Statements that cannot be attributed to the database, without --include-ambiguous.
  std::string refusal() const override;
};

std::vector<LockDeclaration> restore_pitr_locks(Context& context, const RestorePitrOptions& options,
                                                const std::string& database);
Report execute_restore_pitr(Context& context, const RestorePitrPlan& plan, HeldLocks& locks);
Command restore_pitr_command(const RestorePitrOptions& options);

}  // namespace mysqlpitr::commands
