#include "pitr/row_statement.hpp"

#include "binlog/event_type.hpp"

namespace mysqlpitr::pitr {

void RowStatements::add_map(Bytes raw, std::vector<RowChunk>& out) {
  if (pending_rows_) finish(out);
  pending_bytes_ += raw.size();
  maps_.push_back(raw);
  pending_.push_back(std::move(raw));
}

void RowStatements::add_rows(Bytes raw, std::uint64_t position, std::vector<RowChunk>& out) {
  bool statement_end = has_statement_end(raw, format_);
  // Cut before an event that would take the part past the limit, not after: a part must stay
  // under max_allowed_packet, and only a single event larger than the limit may exceed it.
  if (pending_rows_ && pending_bytes_ + raw.size() > chunk_bytes_) reseed_after_send(out);
  if (!pending_rows_) first_ = position;
  last_ = position;
  pending_rows_ = true;
  pending_bytes_ += raw.size();
  pending_.push_back(std::move(raw));
  if (statement_end) {
    finish(out);
  } else if (pending_bytes_ >= chunk_bytes_) {
    reseed_after_send(out);
  }
}

void RowStatements::reseed_after_send(std::vector<RowChunk>& out) {
  send(out);
  // MariaDB applies a BINLOG statement's row events only with their table maps in the same statement.
  pending_ = maps_;
  for (const auto& map : maps_) pending_bytes_ += map.size();
}

void RowStatements::finish(std::vector<RowChunk>& out) {
  send(out);
  maps_.clear();
}

void RowStatements::send(std::vector<RowChunk>& out) {
  if (pending_rows_) {
    // The last row event sent closes the statement (its own STMT_END_F may have been on an
    // event of another database's table that is left out, or further on when it is cut).
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      binlog::RowsType kind{};
      if (binlog::rows_type((*it)[4], kind)) {
        set_statement_end(*it, format_);
        break;
      }
    }
    std::string sql = "BINLOG '\n";
    for (const auto& event : pending_) {
      sql += base64(event.data(), event.size());
      sql += '\n';
    }
    sql += "'";
    out.push_back({std::move(sql), first_, last_});
  }
  // Table maps without a row event change nothing: they are not sent.
  pending_.clear();
  pending_bytes_ = 0;
  pending_rows_ = false;
}

}  // namespace mysqlpitr::pitr
