#pragma once
// The row changes of a row event as SQL values, and the statement that undoes each one, for
// flashback: a Write_rows row is undone by a DELETE, a Delete_rows row by an INSERT of its before
// image, an Update_rows row by an UPDATE back to its before image. Every undo statement names the
// row by its whole after image (every column equal, or NULL), so it changes nothing when the row is no
// longer as the change left it: the caller counts the rows changed and calls that a conflict.
//
// Values are decoded from the row image by the table map's types; the table's columns (names,
// signedness) come from the server, whose definition must be the one the events were logged
// with (no DDL in the range). Times are written as UTC: the session runs with time_zone +00:00.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event.hpp"

namespace mysqlpitr::pitr {

struct TableColumns {
  std::string database, table;
  std::vector<std::string> names;
  std::vector<bool> is_unsigned;
  // N for a BINARY(N) column, else 0: the row image drops its trailing 0x00 bytes, which the
  // stored value keeps and a byte comparison needs back.
  std::vector<std::size_t> binary_width;
  // Compared in a collation ('a' = 'A', 'a' = 'a '): equal values that may differ in their bytes.
  std::vector<bool> collated;
  std::vector<std::size_t> primary_key;  // the key's columns (indexes into names); empty: none
  bool generated = false;  // a generated column: its value cannot be written back
  bool triggers = false;   // the undo statements would fire them (row events do not)
  std::string engine;      // a table that cannot roll back (MyISAM...) is refused
  // MariaDB's WITH SYSTEM VERSIONING: its history would keep the undo as changes of their own
  // (a row deleted by the undo stays in the history, one inserted back gets a new start time).
  bool system_versioned = false;
};

struct RowChange {
  binlog::RowsKind kind = binlog::RowsKind::write;
  // One SQL literal per column ("NULL" for NULL); empty vectors for the image the kind lacks.
  std::vector<std::string> before, after;
};

// Throws a precondition Error when an image lacks a column (binlog_row_image is not FULL) or a
// column type cannot be written back (named).
std::vector<RowChange> decode_row_changes(const binlog::Event& event, const binlog::TableMapEvent& map,
                                          const binlog::FormatDescription& format, const TableColumns& columns);

// The statement undoing `change`; empty when there is nothing to undo (an update that changed no byte).
std::string undo_statement(const RowChange& change, const TableColumns& columns);

// A column type flashback cannot write back, or empty (checked in the plan, per table map).
std::string unsupported_column(const binlog::TableMapEvent& map);

}  // namespace mysqlpitr::pitr
