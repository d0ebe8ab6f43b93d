#pragma once
// The fixed pieces of a dump's SQL text, in the layout mysqldump writes, so that the plain `mysql`
// client restores it and tools that read mysqldump headers (the PITR coordinates comment, the
// completion marker) read ours. Pure functions: no connection, unit-tested.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysqlpitr::dump {

// Binlog coordinates a snapshot is consistent with.
struct Coordinates {
  std::string file;           // "mysql-bin.000042"
  unsigned long long position = 0;
  std::string gtid;           // MariaDB @@gtid_binlog_pos or MySQL Executed_Gtid_Set; may be empty
  bool mariadb = true;
};

struct HeaderInfo {
  std::string tool_version;
  std::string server_description;  // "socket /run/mysqld/mysqld.sock" or host:port
  std::string database;            // empty for a dump of several databases
  std::string server_version;
  std::optional<Coordinates> coordinates;  // written only for PITR bases
};

// The legacy coordinates comment exactly as `mysqldump --master-data=2` writes it.
std::string change_master_comment(const Coordinates& coordinates);

std::string file_header(const HeaderInfo& info);
// Restores the session settings the header changed, then the completion marker
// ("-- Dump completed on YYYY-MM-DD HH:MM:SS").
std::string file_footer(const std::string& completed_at);
inline constexpr std::string_view kCompletionMarker = "-- Dump completed";

// DROP DATABASE / CREATE DATABASE (the server's SHOW CREATE DATABASE text) / USE.
std::string database_head(std::string_view database, std::string_view create_database_sql);

std::string table_structure(std::string_view table, std::string_view create_table_sql);
std::string table_data_comment(std::string_view table);
// "INSERT INTO `t` (`a`,`b`) VALUES " for the listed columns.
std::string insert_prefix(std::string_view table, const std::vector<std::string>& columns);

// A view stand-in with the view's column names, so views that refer to other views can be created
// in any order (mysqldump's "temporary view structure").
std::string view_placeholder(std::string_view view, const std::vector<std::string>& columns);

// A stored object (trigger, routine, event, view) created with the session settings it was defined
// under, inside DELIMITER ;; when its body may contain semicolons.
struct StoredObject {
  std::string kind;  // "trigger", "function", "procedure", "event", "view"
  std::string name;
  std::string create_sql;
  std::string sql_mode;
  std::string character_set_client;   // empty: leave as is
  std::string collation_connection;   // empty: leave as is
  std::string time_zone;              // events only; empty: leave as is
};
std::string stored_object(const StoredObject& object);
// The final definition of a view, replacing its placeholder.
std::string final_view(const StoredObject& view);

std::string section_comment(std::string_view text);

}  // namespace mysqlpitr::dump
