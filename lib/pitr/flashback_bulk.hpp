#pragma once
// Undoing a large transaction's row changes on one table set by set rather than row by row: the
// after images the rows must still hold, the before images to write back, each loaded into a
// temporary table shaped like the live one, then one DELETE, one UPDATE and one INSERT joined on
// the primary key. Each of the first two matches a row only when it is exactly as the change left
// it (every column, compared as bytes too), and must change every row it was given: one row
// changed since makes the set fail, and the caller undoes the transaction row by row instead,
// where that row is named as a conflict. What is undone is what the row-by-row statements would
// undo, in a few statements instead of one per row.
#include <cstdint>
#include <string>
#include <vector>

#include "mysql/connection.hpp"
#include "pitr/flashback_rows.hpp"

namespace mysqlpitr::pitr {

// Whether `changes` (one table's, in binlog order) can be undone as sets: the table has a primary
// key, no row appears twice, no update changes the key. Otherwise their order matters.
bool undoable_as_sets(const TableColumns& columns, const std::vector<RowChange>& changes);

struct SetUndo {
  enum class Outcome {
    undone,       // every row: `rows` of them
    row_changed,  // a row was not as its change left it, or a key (unique, foreign) refused one
    unavailable,  // the server cannot do it for this table (no temporary table of its shape, a
                  // privilege, a GTID rule): `reason` says which; row by row works the same
  };
  Outcome outcome = Outcome::undone;
  std::uint64_t rows = 0;
  std::string reason;
};

// Undoes `changes` inside the caller's transaction (the caller holds a savepoint and rolls back to
// it unless the outcome is `undone`, then goes row by row). Any other server error (a lock wait
// timeout, a deadlock, a full disk, an undo log too large) and a lost connection throw.
SetUndo undo_as_sets(mysql::Connection& connection, const TableColumns& columns, const std::vector<RowChange>& changes,
                     std::size_t batch_bytes);

}  // namespace mysqlpitr::pitr
