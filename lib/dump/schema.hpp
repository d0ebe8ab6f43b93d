#pragma once
// Reading a database's objects from the server: tables and their engines, the columns to dump,
// and the definitions of views, routines, triggers and events as the server prints them.
#include <string>
#include <vector>

#include "dump/sql_text.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::dump {

struct TableInfo {
  std::string name;
  std::string engine;
  bool is_view = false;
  bool is_sequence = false;
  // InnoDB-like engines give every worker the snapshot's view; others (MyISAM, Aria, MEMORY...)
  // are consistent only while writes are blocked, so they are dumped under the global read lock.
  bool transactional = true;
  unsigned long long estimated_rows = 0;
};

// Base tables, views and sequences of a database, sorted by name.
std::vector<TableInfo> list_tables(mysql::Connection& connection, const std::string& database);
bool engine_is_transactional(const std::string& engine);

struct DumpColumn {
  std::string name;
  std::string select_expression;  // how to SELECT it so that its text round-trips exactly
};
// The columns a table's INSERTs carry: every stored column, generated ones omitted, invisible ones
// included, FLOAT read as DOUBLE (the server prints FLOAT with 6 digits, which is not exact).
std::vector<DumpColumn> data_columns(mysql::Connection& connection, const std::string& database,
                                     const std::string& table);

std::string show_create_database(mysql::Connection& connection, const std::string& database);
std::string show_create_table(mysql::Connection& connection, const std::string& database, const std::string& table);
// The column names of a view, for its placeholder.
std::vector<std::string> view_columns(mysql::Connection& connection, const std::string& database,
                                      const std::string& view);
StoredObject show_create_view(mysql::Connection& connection, const std::string& database, const std::string& view);

// Triggers of one table in their execution order.
std::vector<StoredObject> table_triggers(mysql::Connection& connection, const std::string& database,
                                         const std::string& table);
// Stored functions then procedures, each by name.
std::vector<StoredObject> routines(mysql::Connection& connection, const std::string& database);
std::vector<StoredObject> events(mysql::Connection& connection, const std::string& database);

}  // namespace mysqlpitr::dump
