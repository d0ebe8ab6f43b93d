#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "archive/copy.hpp"
#include "archive/manifest.hpp"
#include "io/sha256.hpp"
#include "core/error.hpp"
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
size_t entries_in(const std::string& folder) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}
}  // namespace

TEST_CASE("a verified copy is byte-identical, keeps the source's time and leaves no temporary file" *
          testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  mysqlpitr::testing::TempDir dir;
  auto copy = copy_verified(kBinlog, dir.path(), "mysql-bin.000007");
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
  CHECK_THROWS_AS(copy_verified(cut, dir.file("archive"), "mysql-bin.000001"), mysqlpitr::Error);
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
  CHECK(compare_copy(kBinlog, equal).equal);
  CHECK_FALSE(compare_copy(kBinlog, flipped).equal);
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
