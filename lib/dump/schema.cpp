#include "dump/schema.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::dump {
namespace {

using mysql::quote_identifier;

std::string qualified(const std::string& database, const std::string& name) {
  return quote_identifier(database) + "." + quote_identifier(name);
}

std::string value_or_empty(const std::optional<std::string>& value) { return value.value_or(""); }

// The row of a SHOW CREATE ... whose columns are named; returns column `wanted` by name.
std::string named_column(mysql::Result& result, const mysql::Row& row, std::string_view wanted) {
  auto names = result.field_names();
  for (unsigned i = 0; i < names.size(); ++i)
    if (core::iequals(names[i], wanted)) return row.str(i);
  return "";
}

StoredObject show_create(mysql::Connection& c, const std::string& kind, const std::string& database,
                         const std::string& name, std::string_view body_column) {
  std::string upper = kind == "function" ? "FUNCTION" : kind == "procedure" ? "PROCEDURE"
                      : kind == "trigger"  ? "TRIGGER"
                                           : "EVENT";
  mysql::Result result = c.query(fmt::format("SHOW CREATE {} {}", upper, qualified(database, name)));
  auto row = result.next();
  if (!row) throw failure("SHOW CREATE {} {} returned nothing", upper, qualified(database, name));
  StoredObject object;
  object.kind = kind;
  object.name = name;
  object.create_sql = named_column(result, *row, body_column);
  // An empty body means the account lacks the privilege to see it: the dump would silently lose it.
  if (object.create_sql.empty())
    throw failure("cannot read the definition of {} {} (missing privileges?)", kind, qualified(database, name));
  object.sql_mode = named_column(result, *row, "sql_mode");
  object.character_set_client = named_column(result, *row, "character_set_client");
  object.collation_connection = named_column(result, *row, "collation_connection");
  if (kind == "event") object.time_zone = named_column(result, *row, "time_zone");
  return object;
}

}  // namespace

bool engine_is_transactional(const std::string& engine) {
  std::string e = core::to_lower(engine);
  return e == "innodb" || e == "xtradb" || e == "rocksdb" || e == "tokudb" || e.empty();
}

std::vector<TableInfo> list_tables(mysql::Connection& c, const std::string& database) {
  std::vector<TableInfo> tables;
  for (auto& row : c.rows(fmt::format(
           "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS FROM information_schema.TABLES "
           "WHERE TABLE_SCHEMA = {} ORDER BY TABLE_NAME",
           c.quote(database)))) {
    TableInfo table;
    table.name = value_or_empty(row[0]);
    std::string type = value_or_empty(row[1]);
    table.is_view = type == "VIEW" || type == "SYSTEM VIEW";
    table.is_sequence = type == "SEQUENCE";
    table.engine = value_or_empty(row[2]);
    table.transactional = table.is_view || engine_is_transactional(table.engine);
    if (row[3]) table.estimated_rows = std::stoull(*row[3]);
    tables.push_back(std::move(table));
  }
  return tables;
}

std::vector<DumpColumn> data_columns(mysql::Connection& c, const std::string& database, const std::string& table) {
  std::vector<DumpColumn> columns;
  for (auto& row : c.rows(fmt::format(
           "SELECT COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS "
           "WHERE TABLE_SCHEMA = {} AND TABLE_NAME = {} ORDER BY ORDINAL_POSITION",
           c.quote(database), c.quote(table)))) {
    std::string name = value_or_empty(row[0]);
    std::string type = core::to_lower(value_or_empty(row[1]));
    std::string extra = core::to_lower(value_or_empty(row[2]));
    // MariaDB says "VIRTUAL GENERATED"/"STORED GENERATED", MySQL "VIRTUAL GENERATED"/"STORED GENERATED"
    // too; either way such columns cannot be assigned and are recomputed on load.
    if (extra.find("generated") != std::string::npos || extra == "virtual" || extra == "persistent") continue;
    DumpColumn column{name, quote_identifier(name)};
    // `+ 0e0` makes it a DOUBLE, which the server prints with enough digits to give back the
    // same FLOAT when stored again.
    if (type == "float") column.select_expression = "(" + quote_identifier(name) + " + 0e0)";
    columns.push_back(std::move(column));
  }
  return columns;
}

std::string show_create_database(mysql::Connection& c, const std::string& database) {
  auto rows = c.rows("SHOW CREATE DATABASE " + quote_identifier(database));
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) throw failure("SHOW CREATE DATABASE {} returned nothing", database);
  return *rows[0][1];
}

std::string show_create_table(mysql::Connection& c, const std::string& database, const std::string& table) {
  auto rows = c.rows("SHOW CREATE TABLE " + qualified(database, table));
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1])
    throw failure("SHOW CREATE TABLE {} returned nothing", qualified(database, table));
  return *rows[0][1];
}

std::vector<std::string> view_columns(mysql::Connection& c, const std::string& database, const std::string& view) {
  std::vector<std::string> names;
  for (auto& row : c.rows("SHOW COLUMNS FROM " + qualified(database, view))) names.push_back(value_or_empty(row[0]));
  return names;
}

StoredObject show_create_view(mysql::Connection& c, const std::string& database, const std::string& view) {
  mysql::Result result = c.query("SHOW CREATE VIEW " + qualified(database, view));
  auto row = result.next();
  if (!row) throw failure("SHOW CREATE VIEW {} returned nothing", qualified(database, view));
  StoredObject object;
  object.kind = "view";
  object.name = view;
  object.create_sql = named_column(result, *row, "Create View");
  object.character_set_client = named_column(result, *row, "character_set_client");
  object.collation_connection = named_column(result, *row, "collation_connection");
  return object;
}

std::vector<StoredObject> table_triggers(mysql::Connection& c, const std::string& database, const std::string& table) {
  std::vector<StoredObject> out;
  for (auto& row : c.rows(fmt::format(
           "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = {} AND "
           "EVENT_OBJECT_TABLE = {} ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER",
           c.quote(database), c.quote(table))))
    out.push_back(show_create(c, "trigger", database, value_or_empty(row[0]), "SQL Original Statement"));
  return out;
}

std::vector<StoredObject> routines(mysql::Connection& c, const std::string& database) {
  std::vector<StoredObject> out;
  for (auto& row : c.rows(fmt::format(
           "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {} "
           "AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE') ORDER BY ROUTINE_TYPE, ROUTINE_NAME",
           c.quote(database)))) {
    bool function = value_or_empty(row[0]) == "FUNCTION";
    out.push_back(show_create(c, function ? "function" : "procedure", database, value_or_empty(row[1]),
                              function ? "Create Function" : "Create Procedure"));
  }
  return out;
}

std::vector<StoredObject> events(mysql::Connection& c, const std::string& database) {
  std::vector<StoredObject> out;
  for (auto& row : c.rows(fmt::format(
           "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {} ORDER BY EVENT_NAME",
           c.quote(database))))
    out.push_back(show_create(c, "event", database, value_or_empty(row[0]), "Create Event"));
  return out;
}

}  // namespace mysqlpitr::dump
