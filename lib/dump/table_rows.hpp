#pragma once
// A table's rows read as a dump writes them: the SELECT of its stored columns and each row's SQL
// text "(v1,v2,...)". The dump and the drill's comparison (row_digest.hpp) read through here, so
// that one formatting is what is written and what is checked.
#include <optional>
#include <string>
#include <vector>

#include "dump/values.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::dump {

struct TableRowsQuery {
  std::vector<std::string> names;  // the columns, in the order of each row's values
  mysql::Result result;            // streamed from the server
  std::vector<ValueKind> kinds;
};

// nullopt for a table without stored columns (nothing to read).
std::optional<TableRowsQuery> select_table_rows(mysql::Connection& connection, const std::string& database,
                                                const std::string& table);

// Appends `row` as "(v1,v2,...)".
void append_row(std::string& out, const std::vector<ValueKind>& kinds, const mysql::Row& row);

}  // namespace mysqlpitr::dump
