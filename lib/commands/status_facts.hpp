#pragma once
// What `status` knows, gathered once and shown three ways (text, --json, --prometheus): per
// database the newest dump and PITR base, whether the binlogs continue from that base to the
// server's current binlog, the recovery point (the newest archived or streamed event against the
// server's newest), the jobs' last results, and the problems each with the command that fixes it.
// Reads only; the server being unreachable is a fact among the others, not an error.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/inventory.hpp"
#include "commands/context.hpp"
#include "commands/job_results.hpp"

namespace mysqlpitr::commands {

enum class Severity { ok = 0, warning = 1, critical = 2 };
const char* severity_name(Severity severity);  // "ok", "warning", "critical"

struct Problem {
  Severity severity = Severity::warning;
  std::string database;  // empty: not about one database
  std::string message;
  std::string fix;  // the command (or step) that fixes it
};

struct DrillOutcome {
  std::time_t time = 0;
  bool ok = false;
  std::string message;
};

struct DatabaseStatus {
  std::string name;
  std::string engine = "mysql";  // "mysql" or "mongo"
  bool on_server = false;        // the server lists it (false: known from backups only, or unknown)
  std::optional<catalog::BackupEntry> dump;  // newest historical dump (MongoDB: newest dump folder)
  std::optional<catalog::BackupEntry> base;  // newest PITR base
  // From the base's binlog to the server's current one: true, false (problems say where), or
  // unknown (no base, or nothing known of binlogs).
  std::optional<bool> continuous;
  std::optional<DrillOutcome> drill;
};

struct RecoveryPoint {
  std::optional<std::time_t> archived;  // newest event time in the binlog archive
  std::optional<std::time_t> streamed;  // the stream state's last event
  std::optional<std::time_t> server;    // the server's newest event (its active binlog)
  std::optional<std::time_t> point;     // the newest of archived and streamed (datadir only: server)
  std::optional<long long> lag_seconds;  // server - point
  std::string source;  // "archive", "stream" or "datadir"
};

struct StatusFacts {
  std::time_t now = 0;
  std::string server;          // "host:port (MariaDB 10.11...)" when reachable
  std::string server_problem;  // why the server could not be asked
  std::string binlog_source;   // the archive folder, or the server's folder
  std::vector<DatabaseStatus> databases;
  std::optional<catalog::BackupEntry> schema;  // newest schema dump
  RecoveryPoint recovery;
  nlohmann::json stream;  // the stream state file as read, null when absent
  std::string state_folder;
  std::vector<JobResult> jobs;
  std::vector<Problem> problems;
  std::vector<std::string> warnings;  // unreadable things skipped
  std::int64_t max_dump_age = 0, max_base_age = 0, max_recovery_point = 0;

  Severity worst() const;
};

StatusFacts gather_status(Context& context);

}  // namespace mysqlpitr::commands
