#include "dump/sql_text.hpp"

#include <fmt/format.h>

#include "dump/values.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::dump {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "'";
  append_escaped(out, text);
  out += '\'';
  return out;
}

bool is_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

std::string section_comment(std::string_view text) { return fmt::format("--\n-- {}\n--\n\n", text); }

std::string change_master_comment(const Coordinates& c) {
  return fmt::format("-- CHANGE MASTER TO MASTER_LOG_FILE='{}', MASTER_LOG_POS={};\n", c.file, c.position);
}

std::string file_header(const HeaderInfo& info) {
  std::string out = fmt::format("-- mysqlpitr {} dump (mysqldump-compatible SQL)\n--\n-- Host: {}    Database: {}\n",
                                info.tool_version, info.server_description, info.database);
  out += "-- ------------------------------------------------------\n";
  out += fmt::format("-- Server version\t{}\n\n", info.server_version);
  // The same session set-up mysqldump writes: utf8mb4 text, TIMESTAMP values in UTC, no key or
  // foreign-key checks while loading, and a permissive sql_mode so zero dates and explicit zero
  // AUTO_INCREMENT values load as they were dumped.
  out +=
      "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
      "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n"
      "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n"
      "/*!40101 SET NAMES utf8mb4 */;\n"
      "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n"
      "/*!40103 SET TIME_ZONE='+00:00' */;\n"
      "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n"
      "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n"
      "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"
      "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n\n";
  if (info.coordinates) {
    const Coordinates& c = *info.coordinates;
    out += section_comment("Position to start replication or point-in-time recovery from");
    out += change_master_comment(c);
    if (!c.gtid.empty()) {
      if (c.mariadb)
        out += fmt::format("-- SET GLOBAL gtid_slave_pos='{}';\n", c.gtid);
      else
        out += fmt::format("-- SET @@GLOBAL.GTID_PURGED='{}';\n", c.gtid);
    }
    out += "\n";
  }
  return out;
}

std::string file_footer(const std::string& completed_at) {
  return fmt::format(
      "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\n"
      "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n"
      "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n"
      "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n"
      "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"
      "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n"
      "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n"
      "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n"
      "{} on {}\n",
      kCompletionMarker, completed_at);
}

std::string database_head(std::string_view database, std::string_view create_database_sql) {
  std::string name = mysql::quote_identifier(database);
  std::string out = section_comment(fmt::format("Current Database: {}", name));
  out += fmt::format("/*!40000 DROP DATABASE IF EXISTS {}*/;\n\n", name);
  out += fmt::format("{};\n\n", create_database_sql);
  out += fmt::format("USE {};\n\n", name);
  return out;
}

std::string table_structure(std::string_view table, std::string_view create_table_sql) {
  std::string name = mysql::quote_identifier(table);
  std::string out = section_comment(fmt::format("Table structure for table {}", name));
  out += fmt::format("DROP TABLE IF EXISTS {};\n", name);
  out += "/*!40101 SET @saved_cs_client     = @@character_set_client */;\n";
  out += "/*!40101 SET character_set_client = utf8mb4 */;\n";
  out += fmt::format("{};\n", create_table_sql);
  out += "/*!40101 SET character_set_client = @saved_cs_client */;\n\n";
  return out;
}

std::string table_data_comment(std::string_view table) {
  return section_comment(fmt::format("Dumping data for table {}", mysql::quote_identifier(table)));
}

std::string insert_prefix(std::string_view table, const std::vector<std::string>& columns) {
  std::string out = fmt::format("INSERT INTO {} (", mysql::quote_identifier(table));
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    out += mysql::quote_identifier(columns[i]);
  }
  out += ") VALUES ";
  return out;
}

std::string view_placeholder(std::string_view view, const std::vector<std::string>& columns) {
  std::string name = mysql::quote_identifier(view);
  std::string out = section_comment(fmt::format("Temporary view structure for view {}", name));
  out += fmt::format("DROP TABLE IF EXISTS {};\n/*!50001 DROP VIEW IF EXISTS {}*/;\n", name, name);
  out += fmt::format("/*!50001 CREATE VIEW {} AS SELECT\n", name);
  for (size_t i = 0; i < columns.size(); ++i)
    out += fmt::format(" 1 AS {}{}\n", mysql::quote_identifier(columns[i]), i + 1 < columns.size() ? "," : "");
  out += " */;\n\n";
  return out;
}

namespace {

// Session settings around one stored object, restored afterwards.
std::string object_settings_before(const StoredObject& o) {
  std::string out = "/*!50003 SET @saved_sql_mode = @@sql_mode */ ;\n";
  out += fmt::format("/*!50003 SET sql_mode = {} */ ;\n", quoted(o.sql_mode));
  // The body reaches the server as utf8mb4 text; keeping the object's original client character
  // set is only safe when the body is plain ASCII (mysqldump mislabels non-ASCII bodies here).
  bool keep_charset = !o.character_set_client.empty() && is_ascii(o.create_sql);
  out += "/*!50003 SET @saved_cs_client = @@character_set_client */ ;\n";
  out += "/*!50003 SET @saved_col_connection = @@collation_connection */ ;\n";
  if (keep_charset) {
    out += fmt::format("/*!50003 SET character_set_client = {} */ ;\n", o.character_set_client);
    if (!o.collation_connection.empty())
      out += fmt::format("/*!50003 SET collation_connection = {} */ ;\n", o.collation_connection);
  } else if (!o.collation_connection.empty() && o.collation_connection.starts_with("utf8mb4")) {
    out += fmt::format("/*!50003 SET collation_connection = {} */ ;\n", o.collation_connection);
  }
  if (!o.time_zone.empty()) {
    out += "/*!50003 SET @saved_time_zone = @@time_zone */ ;\n";
    out += fmt::format("/*!50003 SET time_zone = {} */ ;\n", quoted(o.time_zone));
  }
  return out;
}

std::string object_settings_after(const StoredObject& o) {
  std::string out;
  if (!o.time_zone.empty()) out += "/*!50003 SET time_zone = @saved_time_zone */ ;\n";
  out += "/*!50003 SET sql_mode = @saved_sql_mode */ ;\n";
  out += "/*!50003 SET character_set_client = @saved_cs_client */ ;\n";
  out += "/*!50003 SET collation_connection = @saved_col_connection */ ;\n";
  return out;
}

}  // namespace

std::string stored_object(const StoredObject& o) {
  std::string name = mysql::quote_identifier(o.name);
  std::string kind_upper;
  for (char c : o.kind) kind_upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = section_comment(fmt::format("{} {}", kind_upper, name));
  out += fmt::format("/*!50003 DROP {} IF EXISTS {} */;\n", kind_upper, name);
  out += object_settings_before(o);
  out += "DELIMITER ;;\n";
  out += o.create_sql;
  out += " ;;\nDELIMITER ;\n";
  out += object_settings_after(o);
  out += "\n";
  return out;
}

std::string final_view(const StoredObject& view) {
  std::string name = mysql::quote_identifier(view.name);
  std::string out = section_comment(fmt::format("Final view structure for view {}", name));
  out += fmt::format("/*!50001 DROP VIEW IF EXISTS {}*/;\n", name);
  out += object_settings_before(view);
  out += view.create_sql;
  out += ";\n";
  out += object_settings_after(view);
  out += "\n";
  return out;
}

}  // namespace mysqlpitr::dump
