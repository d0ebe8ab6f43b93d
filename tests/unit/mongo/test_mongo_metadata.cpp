#include <doctest/doctest.h>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "mongo/metadata.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::mongo;
using mongo_test::mongodump_fixtures;

TEST_CASE("metadata of a current mongodump gives indexes, uuid and collectionName" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto metadata = read_metadata_file(mongodump_fixtures() / "coll_with_index/test/foo.metadata.json");
  CHECK(metadata.collection_name == "foo");
  CHECK(metadata.uuid == "0679db720f4944de90ae27472664e94a");
  REQUIRE(metadata.indexes.size() == 2);
  CHECK(string_field(metadata.indexes[1].get(), "name") == "f_1");
  CHECK(metadata.options.empty());
  CHECK_FALSE(metadata.is_view());
}

TEST_CASE("old relaxed metadata without collectionName still parses" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto metadata = read_metadata_file(mongodump_fixtures() / "testdirs/db1/c1.metadata.json");
  CHECK(metadata.collection_name.empty());
  REQUIRE(metadata.indexes.size() == 1);
  CHECK(string_field(metadata.indexes[0].get(), "ns") == "db1.c1");
}

TEST_CASE("gzip metadata and time-series options are read" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto gz = read_metadata_file(mongodump_fixtures() / "prelude_test/prelude_gzip/test/foo.metadata.json.gz");
  CHECK(gz.uuid == "47e9795dfa3049f6961a04aca38c4e8e");
  auto ts = read_metadata_file(mongodump_fixtures() /
                               "timeseries_tests/ts_dump/timeseries_test/foo_ts.metadata.json");
  CHECK(ts.is_timeseries());
  CHECK(ts.type == "timeseries");
  CHECK(ts.indexes.size() == 2);
}

TEST_CASE("an empty or broken metadata file is an error naming the file" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto empty = mongodump_fixtures() / "testdirs/db1/c3.metadata.json";
  CHECK_THROWS_WITH_AS(read_metadata_file(empty), doctest::Contains(empty.c_str()), Error);
  CHECK_THROWS_WITH_AS(parse_metadata("{\"indexes\": [1]}", "x.metadata.json"),
                       doctest::Contains("x.metadata.json: index 0 is not an object"), Error);
  CHECK_THROWS_WITH_AS(parse_metadata("{\"indexes\": ", "y.metadata.json"),
                       doctest::Contains("y.metadata.json"), Error);
}

TEST_CASE("a view's metadata keeps viewOn and pipeline and round-trips through metadata_json") {
  std::string json = R"({"options":{"viewOn":"orders","pipeline":[{"$match":{"x":{"$numberInt":"1"}}}]},)"
                     R"("indexes":[],"collectionName":"recent","type":"view"})";
  auto view = parse_metadata(json, "recent.metadata.json");
  CHECK(view.is_view());
  CHECK(view.indexes.empty());
  auto again = parse_metadata(metadata_json(view), "again");
  CHECK(again.collection_name == "recent");
  CHECK(again.type == "view");
  CHECK(again.options.canonical_json() == view.options.canonical_json());
}

TEST_CASE("index specifications for createIndexes lose ns, and the _id index is left to create" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto metadata = read_metadata_file(mongodump_fixtures() / "testdirs/db1/c1.metadata.json");
  Bson spec;
  CHECK_FALSE(index_for_create(metadata.indexes[0].get(), spec));
  auto other = Bson::from_json(R"({"v":2,"key":{"a":1},"name":"a_1","ns":"db.c","unique":true})");
  REQUIRE(index_for_create(other.get(), spec));
  CHECK(string_field(spec.get(), "ns").empty());
  CHECK(string_field(spec.get(), "name") == "a_1");
}
