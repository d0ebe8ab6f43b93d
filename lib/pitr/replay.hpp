#pragma once
// The replay engine: applies the database's part of each transaction read from the chain on one
// session (temporary tables survive a rotation), with the session context each event was logged
// with. Many transactions go in one transaction and one round trip (a group); the progress
// record is updated inside the same transaction. When a group fails it is rolled back and its
// transactions are replayed one statement at a time, so the error names the exact event.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mysql/connection.hpp"
#include "pitr/resume_record.hpp"
#include "pitr/session_sql.hpp"
#include "pitr/transactions.hpp"

namespace mysqlpitr::pitr {

struct ReplayOptions {
  std::string database;  // whose changes are replayed (as logged)
  std::string target;    // where they go (--into, else the same)
  std::vector<std::string> tables;  // only these tables of `database` (empty: all)
  HiddenWriters hidden;
  bool include_ambiguous = false;
  std::size_t group_bytes = 4 << 20;        // SQL per round trip (capped to max_allowed_packet / 2)
  std::size_t group_transactions = 1000;    // transactions per commit
  // The progress record as the run wrote it before the replay (or found it, for --resume): every
  // move of the record must continue from it (resume_record.hpp). Its count is what was applied.
  ResumeMark recorded;
};

struct ReplayProgress {
  std::string file;
  std::uint64_t position = 0;
  std::uint64_t file_size = 0;
  std::size_t file_index = 0, file_count = 0;
  std::uint32_t event_time = 0;
  std::uint64_t applied = 0, skipped = 0;
};

struct ReplayResult {
  std::uint64_t applied = 0;   // transactions applied (this run)
  std::uint64_t skipped = 0;   // transactions of other databases
  std::uint64_t statements = 0, row_events = 0, groups = 0, fallbacks = 0;
  ReadEnd end;
  std::string final_file;
  std::uint64_t final_position = 0;
  std::uint32_t last_event_time = 0;
  double seconds = 0;
};

using ReplayProgressFunction = std::function<void(const ReplayProgress&)>;

// Throws mysqlpitr::Error naming the failing event's file and position; the progress record
// then points at the first transaction not applied.
ReplayResult replay(mysql::Connection& connection, const Chain& chain, std::uint64_t start_position,
                    const StopPoint& stop, const ReplayOptions& options, const Collations& collations,
                    const ReplayProgressFunction& progress = {});

// The server's collations by id (user variables name theirs by id).
Collations read_collations(mysql::Connection& connection);

}  // namespace mysqlpitr::pitr
