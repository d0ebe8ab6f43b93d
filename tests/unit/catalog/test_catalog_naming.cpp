#include <doctest/doctest.h>

#include <cstdlib>

#include "catalog/coordinates.hpp"
#include "catalog/naming.hpp"
#include "core/time.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::catalog;

namespace {
const std::string kFormat = "%Y-%m-%d_%H-%M";
struct UtcZone {
  UtcZone() {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};
}  // namespace

TEST_CASE_FIXTURE(UtcZone, "historical names: the database is the text before -back_, the date parses") {
  auto parsed = parse_historical_name("shop-back_2026-11-23_23-10.sql.gz", kFormat);
  REQUIRE(parsed);
  CHECK(parsed->database == "shop");
  CHECK(parsed->extension == ".sql.gz");
  REQUIRE(parsed->time);
  CHECK(core::format_datetime(*parsed->time) == "2026-11-23 23:10:00");

  auto dashed = parse_historical_name("my-shop-back_2026-11-23_23-10.sql.zst", kFormat);
  REQUIRE(dashed);
  CHECK(dashed->database == "my-shop");
  CHECK(dashed->extension == ".sql.zst");

  auto odd_date = parse_historical_name("shop-back_yesterday.sql.gz", kFormat);
  REQUIRE(odd_date);
  CHECK_FALSE(odd_date->time);  // falls back to the modification time
}

TEST_CASE("names that only look like backups are not backups") {
  CHECK_FALSE(parse_historical_name("shop-back.sql", kFormat));                  // a PITR base
  CHECK_FALSE(parse_historical_name("back-no-data_2026-11-23_23-00.sql.gz", kFormat));  // schema
  CHECK_FALSE(parse_historical_name("shop-back_2026-11-23_23-10.sql.gz.bak", kFormat));
  CHECK_FALSE(parse_historical_name("-back_2026-11-23_23-10.sql.gz", kFormat));
  CHECK_FALSE(parse_historical_name("shop-backup_2026-11-23.sql.gz", kFormat));
  CHECK_FALSE(parse_historical_name(".shop-back_2026-11-23_23-10.sql.gz.partial-Ab12Cd", kFormat));
  CHECK_FALSE(parse_historical_name("notes.txt", kFormat));
}

TEST_CASE_FIXTURE(UtcZone, "schema, PITR base and MongoDB folder names") {
  auto schema = parse_schema_name("back-no-data_2026-11-23_23-00.sql.gz", kFormat);
  REQUIRE(schema);
  CHECK(schema->database.empty());
  CHECK(schema->time);
  auto base = parse_pitr_base_name("shop-back.sql");
  REQUIRE(base);
  CHECK(base->database == "shop");
  CHECK_FALSE(parse_pitr_base_name("-back.sql"));
  auto mongo = parse_mongo_folder_name("backup_2026-11-23_23-20", kFormat);
  REQUIRE(mongo);
  CHECK(mongo->time);
  CHECK_FALSE(parse_mongo_folder_name("backups", kFormat));
}

TEST_CASE("names the tool writes parse back to what they were made from") {
  auto name = historical_name("a-back_b", "2026-01-02_03-04", ".sql.gz");
  auto parsed = parse_historical_name(name, kFormat);
  REQUIRE(parsed);
  CHECK(parsed->database == "a-back_b");
  CHECK(parsed->date_text == "2026-01-02_03-04");
}

TEST_CASE("coordinates from a mysqldump --master-data=2 header, with MariaDB GTID") {
  std::string header =
      "-- MariaDB dump 10.19\n"
      "--\n"
      "-- Position to start replication or point-in-time recovery from\n"
      "--\n\n"
      "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234;\n"
      "-- SET GLOBAL gtid_slave_pos='0-1-77';\n";
  auto coordinates = parse_coordinates(header);
  REQUIRE(coordinates);
  CHECK(coordinates->file == "mysql-bin.000042");
  CHECK(coordinates->position == 1234);
  CHECK(coordinates->gtid == "0-1-77");
  CHECK_FALSE(parse_coordinates("-- MySQL dump\nCREATE TABLE t (a int);\n"));
}

TEST_CASE("a temporary name gives the final name it was written for; other names give none") {
  CHECK(catalog::unfinished_target(".shop-back_2026-11-24_23-10.sql.gz.partial-Ab12Cd") ==
        "shop-back_2026-11-24_23-10.sql.gz");
  CHECK(catalog::unfinished_target(".backup_2026-11-24_23-10.partial") == "backup_2026-11-24_23-10");
  CHECK(catalog::unfinished_target(".my.partial.db-back.sql.partial-x9") == "my.partial.db-back.sql");
  CHECK_FALSE(catalog::unfinished_target("shop-back_2026-11-24_23-10.sql.gz.partial-Ab12Cd"));  // not ours: no dot
  CHECK_FALSE(catalog::unfinished_target(".mysqlpitr-manifest.json"));
  CHECK_FALSE(catalog::unfinished_target(".shop-back.sql.partial-"));
  CHECK_FALSE(catalog::unfinished_target(".shop-back.sql.partial-a/b"));
  CHECK_FALSE(catalog::unfinished_target(".partial-Ab12Cd"));
}

TEST_CASE("a dump's per-table spool gives the dump file it was written for") {
  CHECK(catalog::unfinished_target(".shop-back_2026-11-25_15-40.sql.gz.0-12.partial-TR3580") ==
        "shop-back_2026-11-25_15-40.sql.gz");
  CHECK(catalog::unfinished_target(".back-no-data_2026-11-25_23-00.sql.3-0.partial-abcdef") ==
        "back-no-data_2026-11-25_23-00.sql");
  CHECK(catalog::unfinished_target(".backup_2026-11-24_23-10.partial") == "backup_2026-11-24_23-10");
}
