#include <doctest/doctest.h>

#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <string>

#include "io/compressed_writer.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {
std::string read_all(io::ByteSource& source) {
  std::string out;
  char buffer[1000];
  while (size_t got = source.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

std::string sha256_of(std::string_view data) {
  io::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}

size_t entries_below(const std::string& folder) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::recursive_directory_iterator(folder)) ++count;
  return count;
}
}  // namespace

TEST_CASE("posix storage: a published object is whole under its key, with its size and SHA-256") {
  TempDir dir;
  auto store = storage::open_posix(dir.path());
  std::string data = "CREATE TABLE t (id int);\n";
  auto writer = store->create("historical/shop-back_2026-11-23_23-10.sql");
  writer->write(data.substr(0, 10));
  CHECK_FALSE(store->stat("historical/shop-back_2026-11-23_23-10.sql"));
  CHECK(store->list("").empty());  // the temp file is not an object
  writer->write(data.substr(10));
  auto published = writer->publish();
  CHECK(published.size == data.size());
  CHECK(published.sha256 == sha256_of(data));
  CHECK(testing::read_file(dir.file("historical/shop-back_2026-11-23_23-10.sql")) == data);
  auto info = store->stat("historical/shop-back_2026-11-23_23-10.sql");
  REQUIRE(info);
  CHECK(info->size == data.size());
  CHECK(read_all(*store->open("historical/shop-back_2026-11-23_23-10.sql")) == data);
  CHECK(read_all(*store->open("historical/shop-back_2026-11-23_23-10.sql", 7, 5)) == data.substr(7, 5));
  CHECK(store->open("historical/shop-back_2026-11-23_23-10.sql", 7)->size() == data.size() - 7);
}

TEST_CASE("posix storage: a writer destroyed without publish leaves nothing behind") {
  TempDir dir;
  auto store = storage::open_posix(dir.path());
  {
    auto writer = store->create("pitr/base.sql.gz");
    writer->write(std::string(100000, 'x'));
  }
  CHECK_FALSE(store->stat("pitr/base.sql.gz"));
  CHECK(io::list_directory(dir.file("pitr")).empty());
  CHECK(store->list_unfinished(std::chrono::seconds(0)).empty());
}

TEST_CASE("posix storage: listing is by key prefix at any depth, sorted, without temp files") {
  TempDir dir;
  auto store = storage::open_posix(dir.path());
  for (const char* key : {"mongo/db1/c.bson", "mongo/db1/a.bson", "mongo/db2/x.bson", "binlogs/mysql-bin.000001"})
    store->create(key)->publish();
  dir.write("mongo/db1/.b.bson.partial-AbCdEf", "half");
  std::vector<std::string> keys;
  for (const auto& object : store->list("mongo/db1/")) keys.push_back(object.key);
  CHECK(keys == std::vector<std::string>{"mongo/db1/a.bson", "mongo/db1/c.bson"});
  CHECK(store->list("mongo/").size() == 3);
  CHECK(store->list("mongo/db").size() == 3);
  CHECK(store->list("").size() == 4);
  CHECK(store->list("nothing/here/").empty());
}

TEST_CASE("posix storage: a stale temp file of a killed run is listed as unfinished and removed") {
  TempDir dir;
  auto store = storage::open_posix(dir.path());
  std::string temp = dir.write("pitr/.shop-base.sql.gz.partial-Q1w2E3", "half a base");
  struct utimbuf old_times {1000000000, 1000000000};
  REQUIRE(::utime(temp.c_str(), &old_times) == 0);
  dir.write("pitr/.fresh.sql.partial-Z9x8C7", "still being written");
  auto unfinished = store->list_unfinished(std::chrono::hours(1));
  REQUIRE(unfinished.size() == 1);
  CHECK(unfinished[0].key == "pitr/shop-base.sql.gz");
  CHECK(unfinished[0].started == 1000000000);
  store->remove_unfinished(unfinished[0]);
  CHECK_FALSE(io::stat_entry(temp));
  CHECK(io::stat_entry(dir.file("pitr/.fresh.sql.partial-Z9x8C7")));
  // An UnfinishedWrite naming a finished object is refused: remove_unfinished never removes a backup.
  store->create("pitr/kept.sql")->publish();
  CHECK(testing::code_of([&] { store->remove_unfinished({"pitr/kept.sql", "pitr/kept.sql", 0}); }) == ExitCode::failed);
  CHECK(store->stat("pitr/kept.sql"));
}

TEST_CASE("posix storage: removing is idempotent and keys cannot leave the root") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("root"));
  dir.write("outside", "precious");
  auto store = storage::open_posix(dir.file("root"));
  store->remove("never/was");
  for (const char* key : {"../outside", "a/../../outside", "/etc/passwd", "", "a//b", "./x", "a/"}) {
    CAPTURE(key);
    CHECK(testing::code_of([&] { store->open(key); }) == ExitCode::failed);
    CHECK(testing::code_of([&] { store->create(key); }) == ExitCode::failed);
    CHECK(testing::code_of([&] { store->remove(key); }) == ExitCode::failed);
  }
  CHECK(testing::read_file(dir.file("outside")) == "precious");
  CHECK(entries_below(dir.file("root")) == 0);
  CHECK(testing::message_of([&] { store->open("missing.sql"); }).find(dir.file("root/missing.sql")) != std::string::npos);
}

TEST_CASE("posix storage: a compressed writer writes into a storage writer and reads back through open_input") {
  TempDir dir;
  auto store = storage::open_posix(dir.path());
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  io::CompressorPool pool(2);
  auto writer = store->create("historical/shop.sql.zst");
  io::CompressedWriter compressed(writer->sink(), io::Compression::zstd, 3, pool, 64 << 10);
  compressed.write(text);
  compressed.finish();
  auto published = writer->publish();
  io::Sha256 raw;
  auto stream = storage::open_input(*store, "historical/shop.sql.zst", &raw);
  CHECK(stream->compression() == io::Compression::zstd);
  std::string back;
  char buffer[4096];
  while (size_t got = stream->read(buffer, sizeof buffer)) back.append(buffer, got);
  CHECK(back == text);
  CHECK(raw.hex_digest() == published.sha256);
  CHECK(stream->path() == dir.file("historical/shop.sql.zst"));
}

TEST_CASE("posix storage: one level lists files, folders and the entries that are neither, temp names included") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("root"));
  dir.write("elsewhere/target.sql", "not ours");
  auto store = storage::open_posix(dir.file("root"));
  storage::write_whole(*store, "b.sql", "bb");
  storage::write_whole(*store, "mongo_1/db/c.bson", "ccc");
  dir.write("root/.b.sql.partial-AbC123", "half");
  std::filesystem::create_symlink(dir.file("elsewhere/target.sql"), dir.file("root/link.sql"));
  std::filesystem::create_directory_symlink(dir.file("elsewhere"), dir.file("root/linked_folder"));

  auto level = store->list_level("");
  REQUIRE(level.objects.size() == 2);
  CHECK(level.objects[0].key == ".b.sql.partial-AbC123");
  CHECK(level.objects[1].key == "b.sql");
  CHECK(level.objects[1].size == 2);
  REQUIRE(level.folders.size() == 1);
  CHECK(level.folders[0].key == "mongo_1");
  REQUIRE(level.strays.size() == 2);
  CHECK(level.strays[0].key == "link.sql");
  CHECK(level.strays[0].link);
  CHECK(level.strays[1].key == "linked_folder");

  auto inner = store->list_level("mongo_1/");
  REQUIRE(inner.folders.size() == 1);
  CHECK(inner.folders[0].key == "mongo_1/db");
  CHECK(store->list_level("missing/").objects.empty());
  CHECK(testing::code_of([&] { store->list_level("mongo_1"); }) == ExitCode::failed);
}

TEST_CASE("posix storage: removing a folder removes what is below it, links as links, never their targets") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("root"));
  dir.write("elsewhere/target.bson", "precious");
  auto store = storage::open_posix(dir.file("root"));
  storage::write_whole(*store, "dumps/mongo_1/db/c.bson", "ccc");
  std::filesystem::create_symlink(dir.file("elsewhere/target.bson"), dir.file("root/dumps/mongo_1/db/link.bson"));
  std::filesystem::create_directory_symlink(dir.file("elsewhere"), dir.file("root/dumps/mongo_2"));

  store->remove_folder("dumps/mongo_1");
  CHECK(!std::filesystem::exists(dir.file("root/dumps/mongo_1")));
  CHECK(testing::read_file(dir.file("elsewhere/target.bson")) == "precious");
  // A link in the folder's place is not a folder to empty: refused, its target untouched.
  CHECK(testing::code_of([&] { store->remove_folder("dumps/mongo_2"); }) == ExitCode::failed);
  CHECK(testing::read_file(dir.file("elsewhere/target.bson")) == "precious");
  // Nor is a folder reached through a link on the way.
  dir.write("elsewhere/sub/d.bson", "also precious");
  CHECK(testing::code_of([&] { store->remove_folder("dumps/mongo_2/sub"); }) == ExitCode::failed);
  CHECK(testing::read_file(dir.file("elsewhere/sub/d.bson")) == "also precious");
  // An object is removed only as a regular file of the folder: not a link, not through one.
  CHECK(testing::code_of([&] { store->remove("dumps/mongo_2/target.bson"); }) == ExitCode::failed);
  std::filesystem::create_symlink(dir.file("elsewhere/target.bson"), dir.file("root/dumps/file_link.bson"));
  CHECK(testing::code_of([&] { store->remove("dumps/file_link.bson"); }) == ExitCode::failed);
  CHECK(testing::read_file(dir.file("elsewhere/target.bson")) == "precious");
}

TEST_CASE("posix storage: the root may be a link to a folder") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("real"));
  std::filesystem::create_directory_symlink(dir.file("real"), dir.file("root"));
  auto store = storage::open_posix(dir.file("root"));
  storage::write_whole(*store, "a.sql", "aa");
  CHECK(testing::read_file(dir.file("real/a.sql")) == "aa");
  CHECK(store->list_level("").objects.size() == 1);
  dir.write("file", "x");
  CHECK(testing::code_of([&] { storage::open_posix(dir.file("file")); }) == ExitCode::failed);
}

TEST_CASE("posix storage: a FIFO or a link under an object's name is refused at once, never waited on or followed") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("root"));
  REQUIRE(::mkfifo(dir.file("root/pipe.sql").c_str(), 0600) == 0);
  dir.write("target.sql", "secret");
  std::filesystem::create_symlink(dir.file("target.sql"), dir.file("root/link.sql"));
  auto store = storage::open_posix(dir.file("root"));
  CHECK_FALSE(store->stat("pipe.sql"));
  CHECK(testing::message_of([&] { store->open("pipe.sql"); }).find("not a regular file") != std::string::npos);
  CHECK(testing::message_of([&] { store->open("link.sql"); }).find("symbolic link") != std::string::npos);
}
