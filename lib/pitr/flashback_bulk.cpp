#include "pitr/flashback_bulk.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/error.hpp"

namespace mysqlpitr::pitr {
namespace {

constexpr int kFirstClientError = 2000;  // CR_*: the connection, not the statement
constexpr int kLockWaitTimeout = 1205, kDeadlock = 1213;

// The table's temporary copy could not be made (the server's message).
struct NoTemporaryTable {
  std::string reason;
};

// The server's answers that are a row's, not the run's: a key refused it (row by row names the
// row). Every other error of the statements (a lock wait timeout or a deadlock, which end the
// transaction and leave no savepoint; a full disk; a lost connection) is the caller's. (The table's
// own reasons, a temporary copy the server cannot make, are NoTemporaryTable.)
bool refused_by_a_key(int code) {
  switch (code) {
    case 1062:  // ER_DUP_ENTRY
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
      return true;
    default: return false;
  }
}

std::vector<std::string> key_of(const TableColumns& columns, const std::vector<std::string>& image) {
  std::vector<std::string> key;
  for (std::size_t i : columns.primary_key) key.push_back(image[i]);
  return key;
}

std::string quoted_table(const TableColumns& columns, const std::string& table) {
  return mysql::quote_identifier(columns.database) + "." + mysql::quote_identifier(table);
}

// One temporary table shaped like the live one, filled with images by multi-row INSERTs.
class ImageTable {
 public:
  ImageTable(mysql::Connection& connection, const TableColumns& columns, const char* role)
      : connection_(connection), columns_(columns), name_(quoted_table(columns, std::string("mysqlpitr_flashback_") + role)) {
    try {
      connection_.execute("DROP TEMPORARY TABLE IF EXISTS " + name_, mysql::Connection::Echo::none);
      connection_.execute(fmt::format("CREATE TEMPORARY TABLE {} LIKE {}", name_, quoted_table(columns, columns.table)),
                          mysql::Connection::Echo::none);
    } catch (const Error& error) {
      // Whatever the server's reason (a partitioned or FULLTEXT table, a privilege, an engine,
      // MySQL's GTID rule), no temporary copy means row by row, unless the connection or the
      // transaction is gone.
      const auto code = error.server_code();
      if (!code || *code >= kFirstClientError || *code == kLockWaitTimeout || *code == kDeadlock) throw;
      throw NoTemporaryTable{error.message()};
    }
    for (std::size_t i = 0; i < columns.names.size(); ++i)
      column_list_ += (i ? ", " : "") + mysql::quote_identifier(columns.names[i]);
  }
  ~ImageTable() {
    try {
      connection_.execute("DROP TEMPORARY TABLE IF EXISTS " + name_, mysql::Connection::Echo::none);
    } catch (const Error&) {
      // the session's end drops it
    }
  }
  ImageTable(const ImageTable&) = delete;
  ImageTable& operator=(const ImageTable&) = delete;

  void load(const std::vector<const std::vector<std::string>*>& images, std::size_t batch_bytes) {
    const std::string head = fmt::format("INSERT INTO {} ({}) VALUES ", name_, column_list_);
    std::string sql, row;
    auto flush = [&] {
      if (sql.empty()) return;
      connection_.execute(sql, mysql::Connection::Echo::none);
      sql.clear();
    };
    for (const auto* image : images) {
      row = "(";
      for (std::size_t i = 0; i < image->size(); ++i) row += (i ? ", " : "") + padded(i, (*image)[i]);
      row += ')';
      // Within batch_bytes (kept under the server's max_allowed_packet) unless one row alone is over.
      if (!sql.empty() && sql.size() + 2 + row.size() > batch_bytes) flush();
      sql += sql.empty() ? head : ", ";
      sql += row;
    }
    flush();
    rows_ = images.size();
  }

  const std::string& name() const { return name_; }
  const std::string& column_list() const { return column_list_; }
  std::uint64_t rows() const { return rows_; }

 private:
  // A BINARY(N) value padded back to its N bytes, as the row-by-row statements compare it.
  std::string padded(std::size_t i, std::string value) const {
    std::size_t width = i < columns_.binary_width.size() ? columns_.binary_width[i] : 0;
    if (width > 0 && value == "''") value = "X''";
    if (width > 0 && value.starts_with("X'") && (value.size() - 3) / 2 < width)
      value.insert(value.size() - 1, 2 * (width - (value.size() - 3) / 2), '0');
    return value;
  }

  mysql::Connection& connection_;
  const TableColumns& columns_;
  std::string name_, column_list_;
  std::uint64_t rows_ = 0;
};

// `live` joined to `image` on the primary key (`=`, which the join looks up by the key), and with
// `whole` on every column being equal, and as bytes where a collation could call different bytes
// equal ('a' = 'A': a row changed since).
std::string join_condition(const TableColumns& columns, const std::string& live, const std::string& image, bool whole) {
  std::string out;
  for (std::size_t i : columns.primary_key)
    out += fmt::format("{0}{1}.{3} = {2}.{3}", out.empty() ? "" : " AND ", live, image,
                       mysql::quote_identifier(columns.names[i]));
  if (whole)
    for (std::size_t i = 0; i < columns.names.size(); ++i) {
      std::string column = mysql::quote_identifier(columns.names[i]);
      out += fmt::format(" AND {0}.{2} <=> {1}.{2}", live, image, column);
      if (i >= columns.collated.size() || columns.collated[i])
        out += fmt::format(" AND CAST({0}.{2} AS BINARY) <=> CAST({1}.{2} AS BINARY)", live, image, column);
    }
  return out;
}

}  // namespace

bool undoable_as_sets(const TableColumns& columns, const std::vector<RowChange>& changes) {
  if (columns.primary_key.empty()) return false;
  std::set<std::vector<std::string>> keys;
  for (const auto& change : changes) {
    const auto& image = change.kind == binlog::RowsKind::del ? change.before : change.after;
    if (change.kind == binlog::RowsKind::update && key_of(columns, change.before) != key_of(columns, change.after))
      return false;
    if (!keys.insert(key_of(columns, image)).second) return false;
  }
  return true;
}

SetUndo undo_as_sets(mysql::Connection& connection, const TableColumns& columns, const std::vector<RowChange>& changes,
                     std::size_t batch_bytes) {
  std::vector<const std::vector<std::string>*> inserted, updated_after, updated_before, deleted;
  for (const auto& change : changes) {
    switch (change.kind) {
      case binlog::RowsKind::write: inserted.push_back(&change.after); break;
      case binlog::RowsKind::del: deleted.push_back(&change.before); break;
      case binlog::RowsKind::update:
        if (change.before == change.after) break;  // nothing to undo (as row by row)
        updated_after.push_back(&change.after);
        updated_before.push_back(&change.before);
        break;
    }
  }
  const std::string live = quoted_table(columns, columns.table);
  try {
    std::uint64_t undone = 0;
    // Rows the range inserted go first, rows it deleted come back last: a unique value one of
    // them held is free again for the other.
    if (!inserted.empty()) {
      ImageTable after(connection, columns, "inserted");
      after.load(inserted, batch_bytes);
      std::uint64_t removed = connection.execute(
          fmt::format("DELETE {0} FROM {0} JOIN {1} ON {2}", live, after.name(),
                      join_condition(columns, live, after.name(), true)),
          mysql::Connection::Echo::none);
      if (removed != after.rows()) return {SetUndo::Outcome::row_changed, 0, {}};
      undone += removed;
    }
    if (!updated_after.empty()) {
      ImageTable after(connection, columns, "updated");
      after.load(updated_after, batch_bytes);
      ImageTable before(connection, columns, "before");
      before.load(updated_before, batch_bytes);
      std::string set;
      for (std::size_t i = 0; i < columns.names.size(); ++i)
        set += fmt::format("{0}{1}.{2} = {3}.{2}", i ? ", " : "", live, mysql::quote_identifier(columns.names[i]),
                           before.name());
      // A row matches only when it is as the change left it; each one matched changes (its
      // before image differs from its after image), so the count tells whether all were.
      std::uint64_t changed = connection.execute(
          fmt::format("UPDATE {0} JOIN {1} ON {2} JOIN {3} ON {4} SET {5}", live, after.name(),
                      join_condition(columns, live, after.name(), true), before.name(),
                      join_condition(columns, live, before.name(), false), set),
          mysql::Connection::Echo::none);
      if (changed != after.rows()) return {SetUndo::Outcome::row_changed, 0, {}};
      undone += changed;
    }
    if (!deleted.empty()) {
      ImageTable before(connection, columns, "deleted");
      before.load(deleted, batch_bytes);
      std::uint64_t added = connection.execute(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", live,
                                                           before.column_list(), before.column_list(), before.name()),
                                               mysql::Connection::Echo::none);
      if (added != before.rows()) return {SetUndo::Outcome::row_changed, 0, {}};
      undone += added;
    }
    return {SetUndo::Outcome::undone, undone, {}};
  } catch (const NoTemporaryTable& missing) {
    return {SetUndo::Outcome::unavailable, 0, missing.reason};
  } catch (const Error& error) {
    const auto code = error.server_code();
    if (!code || !refused_by_a_key(*code)) throw;
    return {SetUndo::Outcome::row_changed, 0, error.message()};
  }
}

}  // namespace mysqlpitr::pitr
