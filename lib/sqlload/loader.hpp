#pragma once
// Loads a SQL dump into the server: the native replacement for `gunzip -c FILE | mysql`.
//
// Order of work, as a DBA would run a big load: the file is decompressed and split once, by the
// calling thread, which runs session settings and table definitions in file order on its own
// connection and hands the rows, in batches of many INSERTs per round trip, to `jobs` data
// connections through a queue of bounded size (see dispatcher.hpp), so tables load side by side
// with memory independent of the dump; views, routines, triggers and events run once all rows are
// in (so no trigger fires on restored rows and every view finds its tables). Any failure stops
// the load with the file, line and byte offset of the statement.
//
// Used by restore-historical and by PITR's base load (plain `<db>-back.sql`, maybe renamed).
#include <functional>
#include <string>
#include <vector>

#include "mysql/connection.hpp"
#include "sqlload/rename.hpp"

namespace mysqlpitr::sqlload {

struct LoadOptions {
  mysql::ConnectionOptions connection;
  unsigned jobs = 4;
  size_t batch_bytes = 1 << 20;  // capped to half the server's max_allowed_packet
  // SQL read but not yet sent, at most: small tables queue whole, so each connection gets its own.
  // More did not help at --jobs 4 on 2 cores (bench/RESULTS.md).
  size_t read_ahead_bytes = 64 << 20;
  bool skip_binlog = false;      // SET sql_log_bin=0 on every connection
  Rename rename;                 // --into
  // Selected before the first statement, for dumps that carry no USE (made without --databases).
  std::string initial_database;
  // Only these tables (their definitions, rows and triggers), for table-level PITR: every other
  // table, view, routine, event and database statement of the dump is passed over. Empty: all.
  std::vector<std::string> tables;
};

struct LoadProgress {
  unsigned long long file_bytes = 0;  // of the (compressed) file, read so far
  unsigned long long sql_bytes = 0;   // decompressed SQL read so far
  unsigned long long statements = 0;
  unsigned long long tables = 0;      // CREATE TABLE statements run
  std::string table;                  // the table whose rows are being read
};

struct LoadResult {
  unsigned long long sql_bytes = 0;
  unsigned long long statements = 0;
  unsigned long long data_statements = 0;
  unsigned long long tables = 0;
  unsigned long long objects = 0;  // views, routines, triggers, events
  double seconds = 0;
};

using ProgressFunction = std::function<void(const LoadProgress&)>;

// Throws mysqlpitr::Error (exit code 1) naming the file and the statement on any failure.
// The dump streams from `source` (a file's or an object's, through the storage layer).
struct DumpSource;
LoadResult load_dump(const DumpSource& source, const LoadOptions& options, const ProgressFunction& progress = {});

}  // namespace mysqlpitr::sqlload
