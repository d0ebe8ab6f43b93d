#include <doctest/doctest.h>

#include <zlib.h>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "mongo/bson.hpp"
#include "mongo/bson_stream.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::mongo;
using mongo_test::mongodump_fixtures;

namespace {
std::string error_of(const std::filesystem::path& path) {
  try {
    scan_bson_file(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a real mongodump .bson file reads to its end with the right document count" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto c1 = scan_bson_file(mongodump_fixtures() / "testdirs/db1/c1.bson");
  CHECK(c1.documents == 100);
  CHECK(c1.bytes == 3300);
  auto buckets = scan_bson_file(
      mongodump_fixtures() / "timeseries_tests/ts_dump/timeseries_test/system.buckets.foo_ts.bson");
  CHECK(buckets.documents == 10);
  CHECK(buckets.bytes == 38020);
}

TEST_CASE("an empty .bson file is a valid stream of no documents" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  auto empty = scan_bson_file(mongodump_fixtures() / "testdirs/db1/c2.bson");
  CHECK(empty.documents == 0);
}

TEST_CASE("a gzip .bson.gz gives the same documents as the plain file" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  BsonFileReader gz(mongodump_fixtures() / "prelude_test/prelude_gzip/test/foo.bson.gz");
  BsonFileReader plain(mongodump_fixtures() / "prelude_test/prelude_top_level/test/foo.bson");
  for (;;) {
    auto a = gz.next();
    auto b = plain.next();
    REQUIRE(a.has_value() == b.has_value());
    if (!a) break;
    CHECK(std::vector<std::uint8_t>(a->begin(), a->end()) == std::vector<std::uint8_t>(b->begin(), b->end()));
  }
  CHECK(gz.documents_read() == 1);
}

TEST_CASE("documents read back are the ones in the file" * testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  BsonFileReader reader(mongodump_fixtures() / "foodump/test/foo.bson");
  auto bytes = reader.next();
  REQUIRE(bytes);
  Bson document = Bson::from_bytes(*bytes);
  CHECK(document.relaxed_json().find("\"_id\"") != std::string::npos);
  CHECK_FALSE(reader.next());
}

TEST_CASE("a cut-short .bson names the file and the offset of the broken document" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  mongo_test::ScratchFolder scratch;
  std::string bytes = mongo_test::read_file(mongodump_fixtures() / "testdirs/db1/c1.bson");
  auto cut = scratch.path() / "cut.bson";
  mongo_test::write_file(cut, bytes.substr(0, 3300 - 10));
  std::string message = error_of(cut);
  CHECK(message.find(cut.string()) != std::string::npos);
  CHECK(message.find("offset 3267") != std::string::npos);  // 99 documents of 33 bytes
  CHECK(message.find("cut short") != std::string::npos);

  auto stub = scratch.path() / "stub.bson";
  mongo_test::write_file(stub, bytes.substr(0, 33 + 2));
  CHECK(error_of(stub).find("offset 33: file ends inside a document's length") != std::string::npos);
}

TEST_CASE("an impossible document length or a missing terminator is reported at its offset") {
  mongo_test::ScratchFolder scratch;
  auto bad_length = scratch.path() / "bad.bson";
  mongo_test::write_file(bad_length, std::string("\x05\x00\x00\x00\x00\x03\x00\x00\x00", 9));
  CHECK(error_of(bad_length).find("offset 5: invalid document length 3") != std::string::npos);

  auto no_zero = scratch.path() / "nozero.bson";
  mongo_test::write_file(no_zero, std::string("\x05\x00\x00\x00\x01", 5));
  CHECK(error_of(no_zero).find("offset 0: document of 5 bytes does not end with a 0 byte") !=
        std::string::npos);

  // Framing right, content wrong: an element type byte that does not exist.
  auto bad_element = scratch.path() / "element.bson";
  mongo_test::write_file(bad_element, std::string("\x08\x00\x00\x00\x7e\x61\x00\x00", 8));
  CHECK(error_of(bad_element).find("offset 0: malformed document") != std::string::npos);
}

TEST_CASE("a .bson.gz that is not gzip, or whose stream is cut, is an error" *
          testing::skip_without(mongo_test::mongodump())) {
  testing::require(mongo_test::mongodump());
  mongo_test::ScratchFolder scratch;
  auto fake = scratch.path() / "fake.bson.gz";
  mongo_test::write_file(fake, mongo_test::read_file(mongodump_fixtures() / "foodump/test/foo.bson"));
  CHECK(error_of(fake).find("not a gzip file") != std::string::npos);

  std::string gz = mongo_test::read_file(mongodump_fixtures() / "prelude_test/prelude_gzip/test/foo.bson.gz");
  auto cut = scratch.path() / "cut.bson.gz";
  mongo_test::write_file(cut, gz.substr(0, gz.size() - 12));
  std::string message = error_of(cut);
  CHECK(message.find(cut.string()) != std::string::npos);
  CHECK(message.find("gzip") != std::string::npos);
}
