#include "mysql/server_facts.hpp"

#include <algorithm>
#include <regex>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"

namespace mysqlpitr::mysql {

std::string ServerFacts::binlog_prefix() const { return io::base_name(log_bin_basename); }

const char* binary_log_status_statement(const ServerFacts& facts) {
  bool renamed = facts.flavor == Flavor::mysql && facts.version_number >= 80200;
  return renamed ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
}

std::string current_binlog(Connection& connection, const ServerFacts& facts) {
  if (!facts.log_bin) return "";
  auto rows = connection.rows(binary_log_status_statement(facts));
  return rows.empty() || rows[0].empty() || !rows[0][0] ? "" : *rows[0][0];
}

ServerFacts read_server_facts(Connection& connection) {
  ServerFacts facts;
  facts.version = connection.server_version();
  facts.version_number = connection.server_version_number();
  facts.flavor = facts.version.find("MariaDB") != std::string::npos ? Flavor::mariadb : Flavor::mysql;
  auto rows = connection.rows(
      "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','datadir','log_bin_basename',"
      "'log_bin_index','server_id','gtid_mode','gtid_strict_mode','time_zone','system_time_zone')");
  std::string system_zone;
  for (const auto& row : rows) {
    std::string name = row[0].value_or("");
    std::string value = row[1].value_or("");
    if (name == "log_bin") facts.log_bin = core::iequals(value, "ON") || value == "1";
    else if (name == "binlog_format") facts.binlog_format = value;
    else if (name == "datadir") facts.datadir = value;
    else if (name == "log_bin_basename") facts.log_bin_basename = value;
    else if (name == "log_bin_index") facts.log_bin_index = value;
    else if (name == "server_id") facts.server_id = std::stoul(value.empty() ? "0" : value);
    else if (name == "gtid_mode" || name == "gtid_strict_mode") facts.gtid_mode = value;
    else if (name == "time_zone") facts.time_zone = value;
    else if (name == "system_time_zone") system_zone = value;
  }
  if (facts.time_zone == "SYSTEM") facts.time_zone = "SYSTEM (" + system_zone + ")";
  auto offset = connection.scalar("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())");
  facts.utc_offset_seconds = offset ? std::stoi(*offset) : 0;
  return facts;
}

std::vector<std::string> global_privileges(Connection& connection) {
  // Only grants ON *.* count here: the commands need global privileges (RELOAD, REPLICATION CLIENT...)
  // or SELECT/INSERT... on every database they work on.
  static const std::regex global_grant(R"(^GRANT (.+?) ON \*\.\* TO )");
  std::vector<std::string> privileges;
  for (const auto& row : connection.rows("SHOW GRANTS FOR CURRENT_USER()")) {
    std::smatch match;
    std::string grant = row[0].value_or("");
    if (!std::regex_search(grant, match, global_grant)) continue;
    for (const auto& part : core::split(match[1].str(), ',')) privileges.push_back(core::trim(part));
  }
  return privileges;
}

bool has_privilege(const std::vector<std::string>& privileges, const std::string& wanted) {
  return std::any_of(privileges.begin(), privileges.end(), [&](const std::string& p) {
    return core::iequals(p, wanted) || core::iequals(p, "ALL PRIVILEGES") || core::iequals(p, "ALL");
  });
}

bool database_exists(Connection& connection, const std::string& name) {
  return connection
      .scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + connection.quote(name))
      .value_or("0") != "0";
}

bool is_own_database(const std::string& name) {
  return name == "_mysqlpitr" || name.starts_with("mysqlpitr_scratch_") || name.starts_with("mysqlpitr_drill_");
}

std::vector<std::string> all_databases(Connection& connection) {
  std::vector<std::string> names;
  for (const auto& row : connection.rows("SHOW DATABASES")) names.push_back(row[0].value_or(""));
  return names;
}

std::vector<std::string> list_databases(Connection& connection, const std::vector<std::string>& exclude) {
  std::vector<std::string> names;
  for (const std::string& name : all_databases(connection)) {
    bool excluded = std::any_of(exclude.begin(), exclude.end(),
                                [&](const std::string& e) { return core::iequals(e, name); });
    if (!excluded && !is_own_database(name)) names.push_back(name);
  }
  return names;
}

Leftovers find_leftovers(Connection& connection) {
  Leftovers found;
  for (const std::string& name : all_databases(connection))
    if (is_own_database(name) && name != "_mysqlpitr") found.databases.push_back(name);
  for (const auto& row : connection.rows("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE "
                                         "RIGHT(TABLE_NAME, 10) = '#mysqlpitr' ORDER BY TABLE_SCHEMA, TABLE_NAME"))
    if (row.size() == 2 && row[0] && row[1]) found.tables.emplace_back(*row[0], *row[1]);
  return found;
}

}  // namespace mysqlpitr::mysql
