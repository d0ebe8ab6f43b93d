#pragma once
// Flashback: undoes the row changes of a database (or of some of its tables) logged after a point,
// newest first, one transaction per original transaction, without any base.
//
// Two passes over the binlogs, memory independent of the range: the scan reads forward once,
// checks every change can be undone (row events only, full images, supported column types; a
// statement-logged change or a DDL on the selection is a refusal) and keeps only an index of the
// transactions' positions; the undo reads each indexed transaction again, newest first, and
// undoes its rows in reverse order. Each undo statement names its row by the whole after image,
// so a row changed since by anything outside the selection is a conflict, never overwritten.
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mysql/connection.hpp"
#include "pitr/chain.hpp"
#include "pitr/flashback_rows.hpp"
#include "pitr/stop_point.hpp"
#include "pitr/transactions.hpp"

namespace mysqlpitr::pitr {

struct FlashbackSelection {
  std::string database;
  std::vector<std::string> tables;  // empty: every table of the database
  bool contains(const std::string& database, const std::string& table) const;
};

// The table's columns as the server has them now (cached by the caller).
using ColumnsLookup = std::function<const TableColumns&(const std::string& database, const std::string& table)>;

struct IndexedTransaction {
  std::size_t file_index = 0;
  std::uint64_t position = 0, end_position = 0;
  std::uint32_t timestamp = 0;
};

struct RowCounts {
  std::uint64_t inserts = 0, updates = 0, deletes = 0;
};

struct FlashbackScan {
  std::vector<IndexedTransaction> index;  // oldest first
  std::map<std::string, RowCounts> counts;  // by "db.table"
  std::uint64_t rows = 0, other_transactions = 0;
  std::vector<std::string> refusals;  // the first 20
  std::uint64_t refusal_count = 0;
  ReadEnd end;
  std::uint32_t first_time = 0, last_time = 0;  // of the indexed transactions
};

// Reads the chain from `start_position` to `stop`; transactions that start before `since` (unix
// time, 0: none) are not part of the range.
FlashbackScan scan_flashback(const Chain& chain, std::uint64_t start_position, const StopPoint& stop,
                             std::time_t since, const FlashbackSelection& selection, const ColumnsLookup& columns);

struct FlashbackConflict {
  std::string where;      // file:position of the row event
  std::string statement;  // the undo statement that found the row changed (first 300 bytes)
};

struct UndoOptions {
  bool trial = false;           // everything in one transaction, rolled back: the plan's conflict check
  // With trial: when no row conflicted, the transaction is left open instead (UndoResult::left_open)
  // for the caller to commit as the undo itself, so that an unattended run does the work once.
  bool keep_clean_trial = false;
  bool skip_conflicts = false;  // a conflicting row is left as it is, the rest undone
  std::size_t batch_bytes = 1 << 20;
};

struct UndoResult {
  std::uint64_t transactions = 0, rows = 0, conflict_count = 0;
  std::uint64_t transactions_as_sets = 0;  // undone by the set-based statements (flashback_bulk.hpp)
  std::vector<FlashbackConflict> conflicts;  // the first 50
  std::vector<std::string> notes;            // what made it slower than it could be, once each
  double seconds = 0;
  bool left_open = false;  // a clean trial kept open (UndoOptions::keep_clean_trial): COMMIT or ROLLBACK it
};

// Undoes the indexed transactions newest first on `connection` (its session settings are set
// here). Without skip_conflicts, a conflict (outside a trial) rolls back its transaction and
// throws: the newer transactions stay undone.
UndoResult undo_flashback(mysql::Connection& connection, const Chain& chain, const FlashbackScan& scan,
                          const FlashbackSelection& selection, const ColumnsLookup& columns,
                          const UndoOptions& options);

// The columns of `database`.`table` from information_schema.
TableColumns read_table_columns(mysql::Connection& connection, const std::string& database, const std::string& table);

}  // namespace mysqlpitr::pitr
