#pragma once
// What the tool needs to know about a server, read once per connection.
#include <string>
#include <vector>

#include "mysql/connection.hpp"

namespace mysqlpitr::mysql {

enum class Flavor { mariadb, mysql };

struct ServerFacts {
  Flavor flavor = Flavor::mysql;
  std::string version;  // as the server reports it ("10.11.19-MariaDB-0+deb12u1")
  unsigned long version_number = 0;  // 101119
  bool log_bin = false;
  std::string binlog_format;  // STATEMENT, ROW, MIXED
  std::string datadir;
  std::string log_bin_basename;  // full path without the .NNNNNN suffix; empty when log_bin is off
  std::string log_bin_index;
  unsigned long server_id = 0;
  std::string gtid_mode;  // MySQL: OFF/ON...; MariaDB: gtid_strict_mode state
  std::string time_zone;  // @@time_zone, "SYSTEM" resolved to @@system_time_zone
  int utc_offset_seconds = 0;  // the server's current offset from UTC

  std::string flavor_name() const { return flavor == Flavor::mariadb ? "MariaDB" : "MySQL"; }
  // The binlog file name prefix: "mysql-bin" of "/var/lib/mysql/mysql-bin".
  std::string binlog_prefix() const;
};

ServerFacts read_server_facts(Connection& connection);

// The statement that shows the active binlog and position: MySQL 8.2 renamed SHOW MASTER STATUS
// to SHOW BINARY LOG STATUS and 8.4 removed the old name; MariaDB keeps the old one.
const char* binary_log_status_statement(const ServerFacts& facts);
// The server's active binlog ("mysql-bin.000042"); empty when binary logging is off.
std::string current_binlog(Connection& connection, const ServerFacts& facts);

// The current user's global privileges ("SELECT", "RELOAD", ... or "ALL PRIVILEGES").
std::vector<std::string> global_privileges(Connection& connection);
bool has_privilege(const std::vector<std::string>& privileges, const std::string& wanted);

// Whether a database of exactly that name exists.
bool database_exists(Connection& connection, const std::string& name);

// Databases mysqlpitr makes for itself: `_mysqlpitr` (a PITR's resume record), `mysqlpitr_scratch_*`
// (a table-level restore's staging) and `mysqlpitr_drill_*` (a restore drill's). They are not the
// site's data: never backed up, never counted as a database to protect.
bool is_own_database(const std::string& name);

// Databases on the server, without mysqlpitr's own and those matched case-insensitively by `exclude`.
std::vector<std::string> list_databases(Connection& connection, const std::vector<std::string>& exclude);
// Every database on the server, mysqlpitr's own included (a name given explicitly may be one).
std::vector<std::string> all_databases(Connection& connection);

// What killed runs of mysqlpitr can leave on the server: its staging and drill databases, and
// tables named `<table>#mysqlpitr` (the live table a table-level restore was swapping out).
struct Leftovers {
  std::vector<std::string> databases;
  std::vector<std::pair<std::string, std::string>> tables;  // database, table
};
Leftovers find_leftovers(Connection& connection);

}  // namespace mysqlpitr::mysql
