#include <doctest/doctest.h>

#include <cstdlib>

#include "catalog/coordinates.hpp"
#include "catalog/naming.hpp"
#include "core/time.hpp"
#include "support/temp_dir.hpp"

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

TEST_CASE("an encrypted file keeps its name plus .enc, parsed as the same backup marked encrypted") {
  auto name = dump_file_name(BackupKind::historical, "shop", "2026-11-23_23-10", io::Compression::gzip, true);
  CHECK(name == "shop-back_2026-11-23_23-10.sql.gz.enc");
  auto parsed = parse_historical_name(name, kFormat);
  REQUIRE(parsed);
  CHECK(parsed->database == "shop");
  CHECK(parsed->extension == ".sql.gz");
  CHECK(parsed->encrypted);
  CHECK_FALSE(parse_historical_name("shop-back_2026-11-23_23-10.sql.gz", kFormat)->encrypted);
  auto schema = parse_schema_name(dump_file_name(BackupKind::schema, "", "2026-11-23_23-00", io::Compression::zstd, true), kFormat);
  REQUIRE(schema);
  CHECK(schema->extension == ".sql.zst");
  CHECK(schema->encrypted);
  CHECK(pitr_base_name("shop", true) == "shop-back.sql.enc");
  auto base = parse_pitr_base_name("shop-back.sql.enc");
  REQUIRE(base);
  CHECK(base->database == "shop");
  CHECK(base->encrypted);
  CHECK_FALSE(parse_pitr_base_name(".enc"));
  CHECK_FALSE(parse_historical_name("shop-back_2026-11-23_23-10.sql.gz.enc.partial-Ab12Cd", kFormat));
  CHECK_FALSE(parse_historical_name("shop-back_2026-11-23_23-10.enc", kFormat));
}

TEST_CASE("names the tool writes parse back to what they were made from") {
  auto name = historical_name("a-back_b", "2026-01-02_03-04", ".sql.gz");
  auto parsed = parse_historical_name(name, kFormat);
  REQUIRE(parsed);
  CHECK(parsed->database == "a-back_b");
  CHECK(parsed->date_text == "2026-01-02_03-04");
}

TEST_CASE("file names follow the legacy patterns") {
  using mysqlpitr::io::Compression;
  CHECK(dump_file_name(BackupKind::historical, "shop", "2026-11-25_23-10", Compression::gzip) ==
        "shop-back_2026-11-25_23-10.sql.gz");
  CHECK(dump_file_name(BackupKind::historical, "shop", "2026-11-25_23-10", Compression::zstd) ==
        "shop-back_2026-11-25_23-10.sql.zst");
  CHECK(dump_file_name(BackupKind::historical, "shop", "d", Compression::none) == "shop-back_d.sql");
  CHECK(dump_file_name(BackupKind::schema, "", "2026-11-25_23-00", Compression::gzip) ==
        "back-no-data_2026-11-25_23-00.sql.gz");
  CHECK(dump_file_name(BackupKind::pitr_base, "shop", "whatever", Compression::gzip) == "shop-back.sql");
}

TEST_CASE("ordinary database names are written exactly as the old scripts wrote them") {
  for (const char* name : {"shop", "my-shop", "sp ace", "a.b", "has-back_in-it", "x'; DROP DATABASE y; --",
                           "caf\xC3\xA9", "-x", "a\\b", "x."}) {
    CAPTURE(name);
    CHECK(encode_database_name(name) == name);
    CHECK(decode_database_name(name) == name);
  }
}

TEST_CASE("unsafe database names are %-encoded, % itself included, and decode back") {
  CHECK(encode_database_name("../../x") == "%2E.%2F..%2Fx");
  CHECK(encode_database_name(".hidden") == "%2Ehidden");
  CHECK(encode_database_name(".") == "%2E");
  CHECK(encode_database_name("..") == "%2E.");
  CHECK(encode_database_name("a/b") == "a%2Fb");
  CHECK(encode_database_name("tab\tname") == "tab%09name");
  CHECK(encode_database_name("per%cent") == "per%25cent");
  CHECK(encode_database_name("trailing ") == "trailing%20");
  CHECK(encode_database_name("del\x7F") == "del%7F");
  CHECK(encode_database_name("back-no-data_x") == "%62ack-no-data_x");
  for (const char* name : {"../../x", ".hidden", ".", "..", "a/b", "tab\tname", "per%cent", "trailing ", "%2F",
                           "back-no-data_x", "%", "%%", "a/%2F/."}) {
    CAPTURE(name);
    std::string encoded = encode_database_name(name);
    CHECK(encoded.find('/') == std::string::npos);
    CHECK(encoded[0] != '.');
    CHECK(decode_database_name(encoded) == name);
  }
}

TEST_CASE("a legacy name holding % that the encoder would not have written is taken as it stands") {
  CHECK(decode_database_name("50%off") == "50%off");        // not a %XX sequence
  CHECK(decode_database_name("per%cent") == "per%cent");    // %ce decodes, but not to what the encoder writes
  CHECK(decode_database_name("a%2fb") == "a%2fb");          // lower case is never written
  CHECK(decode_database_name("a%41b") == "a%41b");          // 'A' is never encoded
  CHECK(decode_database_name("end%") == "end%");
  CHECK(decode_database_name("a%2Fb") == "a/b");
}

TEST_CASE_FIXTURE(UtcZone, "every database name survives a historical and a PITR base name") {
  for (const char* name : {"../../x", ".hidden", "a/b", "tab\tname", "x'; DROP DATABASE y; --", "per%cent", "sp ace",
                           "has-back_in-it", "x-back_2026-01-02_03-04", "back-no-data_x", "-back_"}) {
    CAPTURE(name);
    auto historical = historical_name(name, "2026-11-23_23-10", ".sql.gz");
    CHECK(historical.find('/') == std::string::npos);
    CHECK_FALSE(is_internal_name(historical));
    auto parsed = parse_historical_name(historical, kFormat);
    REQUIRE(parsed);
    CHECK(parsed->database == name);
    CHECK(parsed->date_text == "2026-11-23_23-10");
    CHECK_FALSE(parse_schema_name(historical, kFormat));
    auto base = parse_pitr_base_name(pitr_base_name(name));
    REQUIRE(base);
    CHECK(base->database == name);
  }
}

TEST_CASE("-back_ inside a database name: the database ends at the last -back_ whose date parses") {
  auto parsed = parse_historical_name("has-back_in-it-back_2026-11-23_23-10.sql.gz", kFormat);
  REQUIRE(parsed);
  CHECK(parsed->database == "has-back_in-it");
  // A date in another format (the setting changed since): the last marker still ends the name.
  auto other = parse_historical_name("has-back_in-it-back_23.11.2026.sql.gz", kFormat);
  REQUIRE(other);
  CHECK(other->database == "has-back_in-it");
  CHECK_FALSE(other->time);
}

TEST_CASE("a path is built only from a plain name of the folder") {
  CHECK(path_in_folder("/backups", "shop-back.sql") == "/backups/shop-back.sql");
  for (const char* name : {"", ".", "..", "../x", "a/b", "/etc/passwd"}) {
    CAPTURE(name);
    CHECK_THROWS(path_in_folder("/backups", name));
  }
  CHECK_THROWS(path_in_folder("/backups", std::string(1, '\0') + "x"));
  CHECK_NOTHROW(path_in_folder("/backups", std::string(200, 'a')));
  CHECK_THROWS(path_in_folder("/backups", std::string(240, 'a')));  // no room for ".<name>.partial-XXXXXX"
}

TEST_CASE("the longest database name still fits with the default date format") {
  // 64 characters, each written as 3 bytes: %2F, or a 3-byte UTF-8 character kept as it is.
  std::string slashes(64, '/');
  CHECK_NOTHROW(path_in_folder("/b", dump_file_name(BackupKind::historical, slashes, "2026-11-23_23-10",
                                                    io::Compression::zstd)));
}

TEST_CASE("a PITR base is found under its own name, else under an old script's unencoded one") {
  mysqlpitr::testing::TempDir dir;
  CHECK(pitr_base_path(dir.path(), "per%cent") == dir.file("per%25cent-back.sql"));  // neither exists
  dir.write("per%cent-back.sql", "-- legacy\n");
  CHECK(pitr_base_path(dir.path(), "per%cent") == dir.file("per%cent-back.sql"));
  dir.write("per%25cent-back.sql", "-- ours\n");
  CHECK(pitr_base_path(dir.path(), "per%cent") == dir.file("per%25cent-back.sql"));
  dir.write("x-back.sql", "");
  CHECK(pitr_base_path(dir.path(), "a/../x") == dir.file("a%2F..%2Fx-back.sql"));  // never the unencoded path
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
  // An encrypted dump's table spools, left by a killed run.
  CHECK(catalog::unfinished_target(".shop-back_2026-11-24_23-10.sql.gz.enc.0-3.partial-Ab12Cd") ==
        "shop-back_2026-11-24_23-10.sql.gz.enc");
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
