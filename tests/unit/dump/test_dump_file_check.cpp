#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "dump/file_check.hpp"
#include "dump/manifest.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {
const nlohmann::json kEntry = {{"size", 100}, {"sha256", "aa"}, {"binlog_file", "mysql-bin.000003"},
                               {"binlog_position", 328}};

std::string hex_of(std::string_view text) {
  io::Sha256 sha;
  sha.update(text);
  return sha.hex_digest();
}

// Whether the file `name` of `folder` is the one its manifest entry describes.
bool matches_manifest(const std::string& folder, const std::string& name) {
  auto entry = dump::manifest_entry(folder, name);
  io::FileDigest found = io::digest_file(folder + "/" + name);
  return entry && dump::manifest_mismatch(*entry, {found.size, found.sha256, std::nullopt}).empty();
}
}  // namespace

TEST_CASE("a file matches its manifest entry only with the recorded size, SHA-256 and coordinates") {
  CHECK(dump::manifest_mismatch(kEntry, {100, "aa", std::nullopt}).empty());
  CHECK(dump::manifest_mismatch(kEntry, {100, "aa", dump::Coordinates{"mysql-bin.000003", 328, "0-1-5"}}).empty());
  CHECK(dump::manifest_mismatch(kEntry, {90, "bb", std::nullopt}) == "size 90 differs from the manifest's 100");
  CHECK(dump::manifest_mismatch(kEntry, {100, "bb", std::nullopt}) == "SHA-256 bb differs from the manifest's aa");
  CHECK(dump::manifest_mismatch(kEntry, {100, "aa", dump::Coordinates{"mysql-bin.000003", 999, ""}}) ==
        "binlog coordinates mysql-bin.000003:999 differ from the manifest's mysql-bin.000003:328");
}

TEST_CASE("a hand-edited entry of the wrong type is a mismatch named as such, never an exception") {
  for (const nlohmann::json& size :
       {nlohmann::json("100"), nlohmann::json(-5), nlohmann::json(nullptr), nlohmann::json::array()}) {
    nlohmann::json entry = kEntry;
    entry["size"] = size;
    CHECK(dump::manifest_mismatch(entry, {100, "aa", std::nullopt}) == "the manifest's entry has no valid \"size\"");
  }
  nlohmann::json entry = kEntry;
  entry["sha256"] = 7;
  CHECK(dump::manifest_mismatch(entry, {100, "aa", std::nullopt}) == "the manifest's entry has no valid \"sha256\"");
  entry = kEntry;
  entry["binlog_position"] = "328";
  CHECK(dump::manifest_mismatch(entry, {100, "aa", dump::Coordinates{"mysql-bin.000003", 328, ""}}) ==
        "the manifest's entry has no valid binlog coordinates");
  nlohmann::json pending = {{"size", 50}, {"sha256", "cc"}, {"replaces", "garbage"}};
  CHECK(dump::manifest_mismatch(pending, {100, "aa", std::nullopt}) == "size 100 differs from the manifest's 50");
}

TEST_CASE("while a file is being replaced, its entry accepts the replaced file too, and nothing else") {
  nlohmann::json pending = {{"size", 50}, {"sha256", "cc"}, {"replaces", kEntry}};
  CHECK(dump::manifest_mismatch(pending, {50, "cc", std::nullopt}).empty());
  CHECK(dump::manifest_mismatch(pending, {100, "aa", std::nullopt}).empty());
  CHECK(dump::manifest_mismatch(pending, {100, "dd", std::nullopt}) == "size 100 differs from the manifest's 50");
}

TEST_CASE("empty dumps are refused with exit 5, naming the file") {
  CHECK(dump::content_problem(0, 0) == "the file is empty (0 bytes)");
  CHECK(dump::content_problem(20, 0).find("holds no SQL") != std::string::npos);
  CHECK(dump::content_problem(20, 1).empty());
  CHECK(testing::code_of([] { dump::require_content("/b/x.sql.gz", 20, 0); }) == ExitCode::precondition);
  CHECK(testing::message_of([] { dump::require_content("/b/x.sql.gz", 0, 0); }).find("/b/x.sql.gz") !=
        std::string::npos);
}

TEST_CASE("publishing records the entry and the file together; a failed rename leaves the earlier file recorded") {
  TempDir dir;
  std::string final_path = dir.write("shop-back.sql", "old\n");
  io::FileDigest old = io::digest_file(final_path);
  dump::record_in_manifest(dir.path(), "shop-back.sql", {{"size", old.size}, {"sha256", old.sha256}});
  auto folder = storage::open_posix(dir.path());
  auto writer = folder->create("shop-back.sql");
  writer->write("new dump\n");
  nlohmann::json entry = {{"size", 9}, {"sha256", hex_of("new dump\n")}};

  std::string message = testing::message_of([&] {
    dump::publish_recorded(dir.path(), "shop-back.sql", entry,
                           []() -> storage::Published { throw failure("cannot rename: No space left on device"); });
  });
  CHECK(message.find("is still the earlier file") != std::string::npos);
  CHECK(matches_manifest(dir.path(), "shop-back.sql"));
  CHECK(dump::manifest_entry(dir.path(), "shop-back.sql")->value("sha256", "") == old.sha256);

  dump::publish_recorded(dir.path(), "shop-back.sql", entry, [&] { return writer->publish(); });
  CHECK(testing::read_file(final_path) == "new dump\n");
  auto recorded = dump::manifest_entry(dir.path(), "shop-back.sql");
  CHECK(recorded->value("sha256", "") == entry["sha256"]);
  CHECK_FALSE(recorded->contains("replaces"));
}

TEST_CASE("a publish that fails after its rename (the folder's sync) keeps the file with its entry") {
  TempDir dir;
  dir.write("shop-back.sql", "old\n");
  auto folder = storage::open_posix(dir.path());
  auto writer = folder->create("shop-back.sql");
  writer->write("new dump\n");
  nlohmann::json entry = {{"size", 9}, {"sha256", hex_of("new dump\n")}};
  std::string message = testing::message_of([&] {
    dump::publish_recorded(dir.path(), "shop-back.sql", entry, [&]() -> storage::Published {
      writer->publish();
      throw failure("cannot sync folder: Input/output error");
    });
  });
  CHECK(message.find("holds this run's dump and its manifest entry") != std::string::npos);
  CHECK(matches_manifest(dir.path(), "shop-back.sql"));
  CHECK(dump::manifest_entry(dir.path(), "shop-back.sql")->value("sha256", "") == entry["sha256"]);
}

TEST_CASE("the next manifest write removes a temporary manifest a killed writer left") {
  TempDir dir;
  std::string left = dir.write("..mysqlpitr-manifest.json.partial-Ab12Cd", "{\"files\": {");
  std::string other = dir.write(".shop-back.sql.partial-Ab12Cd", "a dump being written");
  dump::record_in_manifest(dir.path(), "shop-back.sql", {{"size", 1}, {"sha256", "aa"}});
  CHECK_FALSE(std::filesystem::exists(left));
  CHECK(std::filesystem::exists(other));  // a dump's temporary file is its own kind's to remove
  CHECK(dump::manifest_entry(dir.path(), "shop-back.sql").has_value());
}
