#pragma once
// What a dump statement is, from its first tokens: the loader runs session settings on every
// connection, table data in parallel, table definitions in order, and views, routines, triggers
// and events after all the data.
#include <optional>
#include <string>
#include <string_view>

namespace mysqlpitr::sqlload {

enum class StatementKind {
  session,      // SET of session or user variables (SET NAMES, SET sql_mode, SET @saved_cs_client ...)
  use,          // USE db
  data,         // INSERT / REPLACE rows into a table
  lock,         // LOCK TABLES / UNLOCK TABLES: mysqldump's wrapper around a table's rows
  transaction,  // COMMIT / BEGIN / START TRANSACTION (mysqldump --no-autocommit)
  table,        // CREATE / DROP / ALTER / TRUNCATE TABLE, CREATE INDEX ...: table definitions
  database,     // CREATE / DROP / ALTER DATABASE
  object,       // views, procedures, functions, triggers, events (and their DROPs)
  other,        // anything else, run in order on its own
};

const char* kind_name(StatementKind kind);

struct Classification {
  StatementKind kind = StatementKind::other;
  std::string database;  // USE / CREATE / DROP / ALTER DATABASE target, or the qualifier of a table (a trigger's)
  std::string table;     // data and table statements naming exactly one table; a trigger's table
  std::string object;    // object statements: "view", "procedure", "function", "trigger", "event"
  std::string name;      // object statements: the object's name
  bool create = false;   // a CREATE statement (table, database, object)
  bool drop = false;     // a DROP statement (table, database, object)
  bool keys = false;     // ALTER TABLE t DISABLE KEYS / ENABLE KEYS
  bool innodb = false;   // CREATE TABLE ... ENGINE=InnoDB
  // A session statement assigning sql_mode: whether NO_BACKSLASH_ESCAPES is now on (for the
  // splitter). nullopt when the statement does not touch sql_mode.
  std::optional<bool> no_backslash_escapes;
};

Classification classify(std::string_view sql, bool no_backslash_escapes = false);

}  // namespace mysqlpitr::sqlload
