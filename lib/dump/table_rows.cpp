#include "dump/table_rows.hpp"

#include "dump/schema.hpp"

namespace mysqlpitr::dump {

std::optional<TableRowsQuery> select_table_rows(mysql::Connection& c, const std::string& database,
                                                const std::string& table) {
  std::vector<DumpColumn> columns = data_columns(c, database, table);
  if (columns.empty()) return std::nullopt;
  std::vector<std::string> names;
  std::string select = "SELECT /*!40001 SQL_NO_CACHE */ ";
  for (size_t i = 0; i < columns.size(); ++i) {
    names.push_back(columns[i].name);
    select += (i ? ", " : "") + columns[i].select_expression;
  }
  select += " FROM " + mysql::quote_identifier(database) + "." + mysql::quote_identifier(table);
  mysql::Result result = c.stream(select);
  std::vector<ValueKind> kinds;
  const MYSQL_FIELD* fields = result.fields();
  for (unsigned i = 0; i < result.field_count(); ++i)
    kinds.push_back(classify_column(fields[i].type, fields[i].charsetnr, fields[i].flags));
  return TableRowsQuery{std::move(names), std::move(result), std::move(kinds)};
}

void append_row(std::string& out, const std::vector<ValueKind>& kinds, const mysql::Row& row) {
  out += '(';
  for (unsigned i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    append_value(out, kinds[i], row.view(i), row.is_null(i));
  }
  out += ')';
}

}  // namespace mysqlpitr::dump
