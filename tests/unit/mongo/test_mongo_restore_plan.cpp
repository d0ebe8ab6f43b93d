#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "mongo/dump_folder.hpp"
#include "mongo/names.hpp"
#include "mongo/restore_plan.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::mongo;
using mongo_test::mongodump_fixtures;

namespace {
bool mentions(const std::vector<DumpNote>& notes, const std::string& file_name) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const DumpNote& note) { return note.path.filename() == file_name; });
}

std::vector<std::string> planned(const RestorePlan& plan) {
  std::vector<std::string> names;
  for (const auto& item : plan.items) {
    const auto& collection = plan.collection_of(item);
    names.push_back(collection.database + "." + collection.name + ":" + std::to_string(item.documents));
  }
  return names;
}
}  // namespace

TEST_CASE("a total restore plan leaves out admin and counts each collection's documents" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto plan = plan_restore(scan_dump_folder(mongodump_fixtures() / "oplogdump"), {});
  CHECK(plan.total);
  CHECK(plan.databases == std::vector<std::string>{"db1"});
  CHECK(planned(plan) == std::vector<std::string>{"db1.c1:5"});
  CHECK(plan.items[0].drop);
  CHECK(plan.items[0].indexes == 1);
  CHECK(mentions(plan.dump.ignored, "oplog.bson"));
}

TEST_CASE("admin is restored only when named, and --no-drop is carried into the plan" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  RestoreSelection selection;
  selection.databases = {"admin"};
  selection.drop = false;
  auto plan = plan_restore(scan_dump_folder(mongodump_fixtures() / "usersdump"), selection);
  CHECK_FALSE(plan.total);
  CHECK(planned(plan) == std::vector<std::string>{"admin.system.roles:1", "admin.system.users:1",
                                                  "admin.system.version:2"});
  CHECK_FALSE(plan.items[0].drop);
  CHECK(plan_restore(scan_dump_folder(mongodump_fixtures() / "usersdump"), {}).items.empty());
}

TEST_CASE("a database that is not in the folder is a usage error that lists what is there" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  RestoreSelection selection;
  selection.databases = {"shop"};
  CHECK_THROWS_WITH_AS(plan_restore(scan_dump_folder(mongodump_fixtures() / "oplogdump"), selection),
                       doctest::Contains("database shop is not in"), Error);
  try {
    plan_restore(scan_dump_folder(mongodump_fixtures() / "oplogdump"), selection);
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    CHECK(std::string(error.what()).find("admin, db1") != std::string::npos);
  }
}

TEST_CASE("gzip dumps with a prelude resolve like plain ones" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto dump = scan_dump_folder(mongodump_fixtures() / "prelude_test/prelude_gzip");
  CHECK(mentions(dump.ignored, "prelude.json.gz"));
  auto plan = plan_restore(std::move(dump), {});
  CHECK(planned(plan) == std::vector<std::string>{"test.foo:1"});
}

TEST_CASE("time-series data in system.buckets joins its collection's metadata" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto plan = plan_restore(scan_dump_folder(mongodump_fixtures() / "timeseries_tests/ts_dump"), {});
  REQUIRE(planned(plan) == std::vector<std::string>{"timeseries_test.foo_ts:10"});
  const auto& collection = plan.collection_of(plan.items[0]);
  CHECK(collection.data_collection() == "system.buckets.foo_ts");
  CHECK(collection.data_file.filename() == "system.buckets.foo_ts.bson");
  CHECK(mentions(plan.dump.ignored, "dump.archive") == false);  // that archive is one level up
}

TEST_CASE("stray files are ignored and an empty metadata file stops the restore of its database" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto dump = scan_dump_folder(mongodump_fixtures() / "testdirs");
  CHECK(mentions(dump.ignored, "badfile.txt"));
  CHECK(mentions(dump.ignored, "baddir"));
  CHECK(mentions(dump.ignored, "c2.txt"));
  CHECK(mentions(dump.ignored, "oplog.bson"));
  CHECK(mentions(dump.problems, "c3.metadata.json"));
  RestoreSelection only_db2;
  only_db2.databases = {"db2"};
  // db2's legacy .bin file is a (here empty) collection; db1's bad metadata does not matter.
  CHECK(planned(plan_restore(scan_dump_folder(mongodump_fixtures() / "testdirs"), only_db2)) ==
        std::vector<std::string>{"db2.c1:0"});
  CHECK_THROWS_WITH_AS(plan_restore(std::move(dump), {}), doctest::Contains("c3.metadata.json"), Error);
}

TEST_CASE("escaped and truncated file names resolve to the names MongoDB knows") {
  mongo_test::ScratchFolder scratch;
  std::string long_name = "events/" + std::string(300, 'e');
  std::string stem = collection_file_stem(long_name);
  REQUIRE(is_truncated_stem(stem));
  auto db = scratch.path() / "shop";
  mongo_test::write_file(db / (stem + ".bson"), "");
  mongo_test::write_file(db / (stem + ".metadata.json"),
                         R"({"indexes":[],"collectionName":")" + long_name + R"("})");
  mongo_test::write_file(db / "orders%2F2026.bson", std::string("\x05\x00\x00\x00\x00", 5));
  auto plan = plan_restore(scan_dump_folder(scratch.path()), {});
  CHECK(planned(plan) == std::vector<std::string>{"shop." + long_name + ":0", "shop.orders/2026:1"});

  // An encrypted dump's stems leave room for ".enc": 4 bytes shorter, read back by the same rule.
  std::string encrypted_stem = collection_file_stem(long_name, encrypted_name_reserve);
  CHECK((encrypted_stem + ".metadata.json.gz.enc").size() == 255);
  CHECK(is_truncated_stem(encrypted_stem, encrypted_name_reserve));
  CHECK_FALSE(is_truncated_stem(encrypted_stem));
  CHECK(collection_file_stem(std::string(234, 'e'), encrypted_name_reserve) == std::string(234, 'e'));
  CHECK(collection_file_stem(std::string(235, 'e'), encrypted_name_reserve).size() == 234);

  // Without the metadata the truncated name cannot be known: the file is reported, not guessed.
  std::filesystem::remove(db / (stem + ".metadata.json"));
  auto dump = scan_dump_folder(scratch.path());
  CHECK(mentions(dump.problems, stem + ".bson"));
}
