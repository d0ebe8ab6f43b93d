#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "archive/copy.hpp"
#include "archive/manifest.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"
#include "core/error.hpp"
#include "crypto/key.hpp"
#include "support/fixture.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;
namespace testing = mysqlpitr::testing;

namespace {
const std::string kBinlog = "/usr/share/mysql/mysql-test/std_data/master-bin.000001";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
std::shared_ptr<mysqlpitr::storage::Storage> folder(const std::string& path) {
  return mysqlpitr::storage::open_posix(path);
}
size_t entries_in(const std::string& folder) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}
}  // namespace

TEST_CASE("a verified copy is byte-identical, keeps the source's time and leaves no temporary file" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  auto copy = *copy_verified(kBinlog, folder(dir.path()), "mysql-bin.000007");
  CHECK(slurp(dir.file("mysql-bin.000007")) == slurp(kBinlog));
  CHECK(copy.sha256 == mysqlpitr::io::digest_file(kBinlog).sha256);
  struct stat source {}, target {};
  ::stat(kBinlog.c_str(), &source);
  ::stat(dir.file("mysql-bin.000007").c_str(), &target);
  CHECK(target.st_mtime == source.st_mtime);
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("a copy of a cut binlog fails verification and never gets its final name" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  std::string whole = slurp(kBinlog);
  std::string cut = dir.write("source/mysql-bin.000001", whole.substr(0, whole.size() - 7));
  std::filesystem::create_directory(dir.file("archive"));
  CHECK_THROWS_AS(copy_verified(cut, folder(dir.file("archive")), "mysql-bin.000001"), mysqlpitr::Error);
  CHECK(entries_in(dir.file("archive")) == 0);
}

TEST_CASE("comparing finds an archived copy that differs from its source in content" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  std::string bytes = slurp(kBinlog);
  std::string equal = dir.write("equal", bytes);
  bytes[bytes.size() / 2] ^= 0x40;
  std::string flipped = dir.write("flipped", bytes);
  CHECK(compare_copy(kBinlog, folder(dir.path()), "equal").equal);
  CHECK_FALSE(compare_copy(kBinlog, folder(dir.path()), "flipped").equal);
}

TEST_CASE("the record of verified copies survives a round trip and a damaged record reads as empty") {
  mysqlpitr::testing::TempDir dir;
  auto manifest = Manifest::load(dir.path());
  manifest.record("mysql-bin.000001", {500, 100, "ab12", 7});
  manifest.save();
  auto again = Manifest::load(dir.path());
  REQUIRE(again.find("mysql-bin.000001"));
  CHECK(again.find("mysql-bin.000001")->sha256 == "ab12");
  CHECK(again.find("mysql-bin.000001")->mtime == 100);
  dir.write(kManifestName, "{ not json");
  CHECK_FALSE(Manifest::load(dir.path()).find("mysql-bin.000001"));
}

namespace {
mysqlpitr::crypto::KeyRing ring_of(const std::string& hex) {
  std::vector<mysqlpitr::crypto::KeyFile> files;
  files.push_back(mysqlpitr::crypto::KeyFile::from_contents("/etc/mysqlpitr/backup.key", hex));
  return mysqlpitr::crypto::KeyRing(std::move(files));
}
const std::string kKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
}  // namespace

TEST_CASE("an encrypted copy keeps the binlog's name, holds no plain bytes, and records both digests" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  auto keys = ring_of(kKey);
  auto copy = *copy_verified(kBinlog, folder(dir.path()), "mysql-bin.000007", &keys);
  std::string stored = slurp(dir.file("mysql-bin.000007"));
  std::string plain = slurp(kBinlog);
  CHECK(stored.starts_with("MPITRENC"));
  CHECK(stored.find(plain.substr(4, 40)) == std::string::npos);
  CHECK(copy.encrypted());
  CHECK(copy.key_id == mysqlpitr::crypto::key_id_text(keys.key_for_writing().id()));
  CHECK(copy.size == stored.size());
  CHECK(copy.sha256 == mysqlpitr::io::digest_file(dir.file("mysql-bin.000007")).sha256);
  CHECK(copy.binlog_size() == plain.size());
  CHECK(copy.binlog_sha256() == mysqlpitr::io::digest_file(kBinlog).sha256);
  CHECK(entries_in(dir.path()) == 1);

  // Read back through the key: the same events; without it, refused naming the key.
  CHECK(read_binlog_to_end(dir.file("mysql-bin.000007"), &keys).events == read_binlog_to_end(kBinlog).events);
  CHECK_THROWS_AS(read_binlog_to_end(dir.file("mysql-bin.000007")), mysqlpitr::Error);

  // Compared by the plain bytes it holds, and the comparison records the encrypted copy as it is.
  auto comparison = compare_copy(kBinlog, folder(dir.path()), "mysql-bin.000007", &keys);
  CHECK(comparison.equal);
  CHECK(comparison.copy.encrypted());
  CHECK(comparison.copy.sha256 == copy.sha256);
  CHECK(comparison.copy.plain_sha256 == copy.plain_sha256);

  // The record keeps the encrypted copy's facts.
  auto manifest = Manifest::load(dir.path());
  manifest.record("mysql-bin.000007", copy);
  manifest.save();
  auto reloaded = Manifest::load(dir.path());
  const VerifiedCopy* again = reloaded.find("mysql-bin.000007");
  REQUIRE(again);
  CHECK(again->key_id == copy.key_id);
  CHECK(again->plain_size == copy.plain_size);
  CHECK(again->plain_sha256 == copy.plain_sha256);
}

TEST_CASE("an encrypted copy altered after it was written no longer compares equal" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  auto keys = ring_of(kKey);
  copy_verified(kBinlog, folder(dir.path()), "mysql-bin.000007", &keys);
  std::string stored = slurp(dir.file("mysql-bin.000007"));
  stored[stored.size() / 2] ^= 1;
  dir.write("altered/mysql-bin.000007", stored);
  CHECK_FALSE(compare_copy(kBinlog, folder(dir.file("altered")), "mysql-bin.000007", &keys).equal);
  CHECK_THROWS_AS(compare_copy(kBinlog, folder(dir.file("altered")), "mysql-bin.000007", nullptr), mysqlpitr::Error);  // no key: no verdict
}

TEST_CASE("a copy never takes over a file that appeared under its name meanwhile" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  dir.write("mysql-bin.000007", "another writer's file");
  CHECK_FALSE(copy_verified(kBinlog, folder(dir.path()), "mysql-bin.000007").has_value());
  CHECK(slurp(dir.file("mysql-bin.000007")) == "another writer's file");
  CHECK(entries_in(dir.path()) == 1);  // no temporary file left
}
