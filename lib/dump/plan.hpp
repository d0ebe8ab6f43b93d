#pragma once
// What a backup run will write, read from the server before anything is written: the databases
// and their tables, the order the workers take them in, the file each database goes to, and
// whether a snapshot (and so binlog coordinates) is taken. Reading it changes nothing.
#include <optional>
#include <string>
#include <vector>

#include "dump/request.hpp"
#include "dump/schema.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::dump {

struct DatabasePlan {
  std::string name;
  std::string create_sql;
  std::vector<TableInfo> tables;  // by name, views included
  std::string file_name;          // in the request's folder (for the schema kind: the one structure file)
  std::string error;              // not empty: the database fails before any of it is read
  bool failed() const noexcept { return !error.empty(); }
};

// One worker's unit of work: a table, or a database's stored objects (its last part).
struct DumpJob {
  size_t database = 0;
  std::optional<size_t> table;  // nullopt: the database's stored objects
  bool under_lock = false;      // a non-transactional table, read while the global lock is held
};

struct DumpPlan {
  DumpKind kind = DumpKind::historical;
  io::Compression compression = io::Compression::gzip;
  unsigned jobs = 1;  // worker connections
  mysql::ServerFacts facts;
  std::vector<DatabasePlan> databases;
  // Jobs under the lock first (so it is released as early as possible), then the rest, large
  // tables first so the last job of a run is not the one that takes longest.
  std::vector<DumpJob> queue;
  size_t locked_jobs = 0;
  unsigned tables_total = 0;
  std::vector<std::string> non_transactional;  // `db`.`table`
  std::string schema_file_name;   // the schema kind's one file
  std::string schema_file_error;  // not empty: that file cannot be written under its name

  // The structure-only dump reads no rows, so it needs no snapshot and never blocks writers.
  bool takes_snapshot() const noexcept { return kind != DumpKind::schema; }
  bool with_data() const noexcept { return kind != DumpKind::schema; }
};

// Reads the plan with `control` (a session prepared by prepare_dump_session). Databases that are
// missing or unreadable are planned as failed; a PITR base on a server without binary logging
// throws a precondition error.
DumpPlan plan_dump(mysql::Connection& control, const DumpRequest& request);

}  // namespace mysqlpitr::dump
