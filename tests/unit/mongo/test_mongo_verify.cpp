#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "mongo/byte_file.hpp"
#include "mongo/verify.hpp"

namespace testing = mysqlpitr::testing;
using namespace mysqlpitr::mongo;
using mongo_test::mongodump_fixtures;

TEST_CASE("a whole real dump verifies with its document counts" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto report = verify_dump_folder(mongodump_fixtures() / "timeseries_tests/ts_dump");
  CHECK(report.ok());
  // admin.system.version 1, admin.system.views 0, timeseries_test.foo_ts 10 buckets (counted by Python).
  CHECK(report.collections.size() == 3);
  CHECK(report.documents() == 11);
  CHECK(looks_like_dump_folder(mongodump_fixtures() / "timeseries_tests/ts_dump"));
  CHECK_FALSE(looks_like_dump_folder(mongodump_fixtures() / "oplogs/json"));
}

TEST_CASE("verify names the file and offset of a cut .bson and the bad metadata" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  mongo_test::ScratchFolder scratch;
  auto source = mongodump_fixtures() / "testdirs/db1";
  auto db = scratch.path() / "db1";
  mongo_test::write_file(db / "c1.bson", mongo_test::read_file(source / "c1.bson").substr(0, 110));
  mongo_test::write_file(db / "c1.metadata.json", mongo_test::read_file(source / "c1.metadata.json"));
  mongo_test::write_file(db / "c3.metadata.json", "");
  auto report = verify_dump_folder(scratch.path());
  REQUIRE(report.errors.size() == 2);
  std::string all = report.errors[0] + "\n" + report.errors[1];
  CHECK(all.find((db / "c1.bson").string() + ": offset 99: document of 33 bytes is cut short") != std::string::npos);
  CHECK(all.find((db / "c3.metadata.json").string() + ": metadata file is empty") != std::string::npos);
}

TEST_CASE("the summary for list mongo counts collections and bytes per database" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto summary = summarize_dump_folder(mongodump_fixtures() / "oplogdump");
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].name == "admin");
  CHECK(summary[1].name == "db1");
  CHECK(summary[1].collections == 1);
  CHECK(summary[1].bytes == 145 + std::filesystem::file_size(mongodump_fixtures() / "oplogdump/db1/c1.metadata.json"));
}

TEST_CASE("an encrypted file is the mongodump file it encrypts, named with .enc") {
  CHECK(has_encryption_suffix("db1/c1.bson.gz.enc"));
  CHECK_FALSE(has_encryption_suffix("db1/c1.bson.gz"));
  CHECK(has_gzip_suffix("db1/c1.bson.gz.enc"));
  CHECK(has_gzip_suffix("db1/c1.bson.gz"));
  CHECK_FALSE(has_gzip_suffix("db1/c1.bson.enc"));
  CHECK_FALSE(has_gzip_suffix("db1/gz.enc"));
  CHECK(without_encryption_suffix("c1.metadata.json.enc") == "c1.metadata.json");
  CHECK(without_encryption_suffix("c1.metadata.json") == "c1.metadata.json");
}
