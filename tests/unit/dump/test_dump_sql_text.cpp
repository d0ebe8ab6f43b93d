#include <doctest/doctest.h>

#include "dump/dumper.hpp"
#include "dump/sql_text.hpp"

using namespace mysqlpitr::dump;

TEST_CASE("a PITR base header carries the coordinates comment mysqldump --master-data=2 writes") {
  HeaderInfo info;
  info.tool_version = "0.1.0";
  info.database = "shop";
  info.coordinates = Coordinates{"mysql-bin.000042", 1234, "0-1-77", true};
  std::string header = file_header(info);
  CHECK(header.find("\n-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234;\n") !=
        std::string::npos);
  CHECK(header.find("-- SET GLOBAL gtid_slave_pos='0-1-77';") != std::string::npos);
  CHECK(header.find("SET NAMES utf8mb4") != std::string::npos);
  CHECK(header.find("SET TIME_ZONE='+00:00'") != std::string::npos);
  CHECK(header.find("FOREIGN_KEY_CHECKS=0") != std::string::npos);
}

TEST_CASE("a historical header has no coordinates comment") {
  HeaderInfo info;
  CHECK(file_header(info).find("CHANGE MASTER") == std::string::npos);
}

TEST_CASE("the footer ends with mysqldump's completion marker") {
  std::string footer = file_footer("2026-11-25 23:10:00");
  CHECK(footer.ends_with("-- Dump completed on 2026-11-25 23:10:00\n"));
}

TEST_CASE("database names with backticks, spaces and unicode are quoted") {
  std::string head = database_head("my `odd` db-ñ", "CREATE DATABASE `my ``odd`` db-ñ`");
  CHECK(head.find("DROP DATABASE IF EXISTS `my ``odd`` db-ñ`") != std::string::npos);
  CHECK(head.find("USE `my ``odd`` db-ñ`;") != std::string::npos);
}

TEST_CASE("INSERTs name their columns") {
  CHECK(insert_prefix("t-1", {"a b", "c`"}) == "INSERT INTO `t-1` (`a b`,`c```) VALUES ");
}

TEST_CASE("stored objects are wrapped in DELIMITER with their sql_mode") {
  StoredObject object{"procedure", "p", "CREATE PROCEDURE `p`() BEGIN SELECT 1; SELECT 2; END", "STRICT_TRANS_TABLES",
                      "utf8mb4", "utf8mb4_general_ci", ""};
  std::string text = stored_object(object);
  CHECK(text.find("DELIMITER ;;\nCREATE PROCEDURE `p`() BEGIN SELECT 1; SELECT 2; END ;;\nDELIMITER ;\n") !=
        std::string::npos);
  CHECK(text.find("SET sql_mode = 'STRICT_TRANS_TABLES'") != std::string::npos);
  CHECK(text.find("DROP PROCEDURE IF EXISTS `p`") != std::string::npos);
}

TEST_CASE("a view placeholder has the view's columns") {
  std::string text = view_placeholder("v", {"a", "b c"});
  CHECK(text.find("CREATE VIEW `v` AS SELECT\n 1 AS `a`,\n 1 AS `b c`\n */;") != std::string::npos);
}
