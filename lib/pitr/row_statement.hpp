#pragma once
// The row events of the logged statements of a transaction as BINLOG '...' statements. The
// events of one statement go together; a statement larger than `chunk_bytes` is cut into several
// BINLOG statements, each starting with that statement's table maps again and each closed with
// STMT_END_F: MariaDB forgets the table maps at the end of every BINLOG statement and silently
// skips a row event whose table id it does not know, so a cut without the maps would lose rows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "binlog/event.hpp"
#include "pitr/event_rewrite.hpp"

namespace mysqlpitr::pitr {

struct RowChunk {
  std::string sql;                // BINLOG '...'
  std::uint64_t first = 0, last = 0;  // positions of its first and last row events
};

class RowStatements {
 public:
  RowStatements(const binlog::FormatDescription& format, std::size_t chunk_bytes)
      : format_(format), chunk_bytes_(chunk_bytes) {}

  // A Table_map event (already renamed for --into). One after row events starts a new statement
  // (the server writes a statement's maps before its rows), even when the previous statement's
  // STMT_END_F was on an event of another database that was left out.
  void add_map(Bytes raw, std::vector<RowChunk>& out);
  // A row event; the statement is sent at its STMT_END_F, or in part when it grows too large.
  void add_rows(Bytes raw, std::uint64_t position, std::vector<RowChunk>& out);
  // Ends the current statement (a non-row event follows, or the transaction ends).
  void finish(std::vector<RowChunk>& out);

 private:
  void send(std::vector<RowChunk>& out);
  // Sends the part so far and starts the next part of the same statement with its table maps.
  void reseed_after_send(std::vector<RowChunk>& out);

  const binlog::FormatDescription& format_;
  std::size_t chunk_bytes_;
  std::vector<Bytes> maps_;     // the current statement's table maps
  std::vector<Bytes> pending_;  // not yet sent: maps, then rows
  std::size_t pending_bytes_ = 0;
  bool pending_rows_ = false;
  std::uint64_t first_ = 0, last_ = 0;
};

}  // namespace mysqlpitr::pitr
