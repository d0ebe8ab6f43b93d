#pragma once
// The PITR plan, made before anything is touched: the base and its coordinates, the binlog chain
// (gap-checked by name, then by content: closing events, GTID continuity, the server's current
// binlog when replaying to the end), the stop point, and what the replay will do (read through once: transactions
// of the database, of others, statements that cannot be attributed). Every refusal is a
// precondition Error (exit 5) naming the missing piece.
#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pitr/chain.hpp"
#include "pitr/continuity.hpp"
#include "pitr/stop_point.hpp"
#include "pitr/transactions.hpp"

namespace mysqlpitr::pitr {

struct PlanInput {
  std::string database;  // as logged in the binlogs
  std::string target;    // --into, else the database
  // Table-level PITR: only these tables of the database (empty: all of it). The replay then goes
  // into `scratch` and each table is swapped into `target` at the end.
  std::vector<std::string> tables;
  HiddenWriters hidden;  // table-level: what writes the tables unnamed (hidden_writers())
  std::string scratch;
  std::string base_path;
  std::string base_file;            // the base's coordinates
  std::uint64_t base_position = 0;
  std::string start_file;           // where replay starts: the base's coordinates or a resume point
  std::uint64_t start_position = 0;
  std::vector<FoundBinlog> archive, datadir;
  std::string archive_folder, datadir_folder;
  std::string server_binlog;  // the server's current binlog (SHOW MASTER STATUS); empty when unknown
  StopPoint stop;
  bool include_ambiguous = false;
  std::time_t now = 0;  // the server's clock, for a stop time after the newest event
  // Told after each transaction the plan reads: binlog bytes read so far, and to read in all
  // (a plan over gigabytes of binlogs takes minutes; the caller draws a progress line).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

struct FileRange {
  ChainFile file;
  std::uint64_t from = 0, to = 0;
  std::uint64_t touching = 0, other = 0;
};

struct Plan {
  PlanInput input;
  Chain chain;
  std::vector<FileRange> ranges;
  std::uint64_t touching = 0, other = 0, statements = 0, row_events = 0, isolated = 0;
  std::vector<AmbiguousStatement> ambiguous;
  ReadEnd end;
  std::uint32_t time_before_start = 0, last_event_time = 0;
  std::vector<std::string> notes;
};

Plan make_plan(const PlanInput& input);

std::string plan_text(const Plan& plan);
nlohmann::json plan_json(const Plan& plan);

}  // namespace mysqlpitr::pitr
