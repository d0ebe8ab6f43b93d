#include <doctest/doctest.h>

#include <filesystem>

#include "archive/aside.hpp"
#include "archive/binlog_check.hpp"
#include "archive/manifest.hpp"
#include "binlog/name.hpp"
#include "support/fixture.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;
using mysqlpitr::testing::read_file;
using mysqlpitr::testing::TempDir;

namespace {
const std::string kChecksummed = "/usr/share/mysql/mysql-test/std_data/mdev29078-mysql-bin.000001";
}  // namespace

TEST_CASE("a file set aside keeps its bytes, leaves the binlog name free and never replaces an earlier one") {
  TempDir dir;
  dir.write("mysql-bin.000005", "first history");
  auto archive = mysqlpitr::storage::open_posix(dir.path());
  std::string first_key = set_aside(*archive, "mysql-bin.000005", 1700000000);
  CHECK(first_key == ".mysqlpitr-aside/mysql-bin.000005.aside-20231114T221320Z");
  std::string first = dir.file(first_key);
  CHECK(read_file(first) == "first history");
  CHECK_FALSE(std::filesystem::exists(dir.file("mysql-bin.000005")));

  dir.write("mysql-bin.000005", "second history");
  std::string second_key = set_aside(*archive, "mysql-bin.000005", 1700000000);
  CHECK(second_key == first_key + "-2");
  std::string second = dir.file(second_key);
  CHECK(read_file(first) == "first history");
  CHECK(read_file(second) == "second history");
  // No reader takes the kept names for binlogs.
  CHECK_FALSE(mysqlpitr::binlog::parse_binlog_name("mysql-bin.000005.aside-20231114T221320Z-2").has_value());
}

TEST_CASE("verify's binlog check reads to the end with CRC32 and names the offset of a damaged event" *
          mysqlpitr::testing::skip_without(mysqlpitr::testing::mariadb_test_data())) {
  mysqlpitr::testing::require(mysqlpitr::testing::mariadb_test_data());
  TempDir dir;
  std::string whole = read_file(kChecksummed);
  std::string good = dir.write("a/mysql-bin.000001", whole);
  std::string damaged = whole;
  damaged[damaged.size() - 10] = static_cast<char>(damaged[damaged.size() - 10] ^ 0x40);
  std::string bad = dir.write("a/mysql-bin.000002", damaged);
  std::string cut = dir.write("a/mysql-bin.000003", whole.substr(0, whole.size() - 3));

  auto checks = check_binlog_files({good, bad, cut}, 2);
  REQUIRE(checks.size() == 3);
  CHECK(checks[0].ok);
  CHECK(checks[0].checksums);
  CHECK(checks[0].events > 0);
  CHECK_FALSE(checks[1].ok);
  CHECK(checks[1].problem.find(bad) != std::string::npos);
  CHECK(checks[1].problem.find("byte offset") != std::string::npos);
  CHECK_FALSE(checks[2].ok);
}

TEST_CASE("verify's binlog check compares a copy with rotate-binlogs' record" *
          mysqlpitr::testing::skip_without(mysqlpitr::testing::mariadb_test_data())) {
  mysqlpitr::testing::require(mysqlpitr::testing::mariadb_test_data());
  TempDir dir;
  std::string whole = read_file(kChecksummed);
  std::string path = dir.write("mysql-bin.000001", whole);
  Manifest manifest = Manifest::load(dir.path());
  manifest.record("mysql-bin.000001", {whole.size(), 0, std::string(64, '0'), 0});
  manifest.save();
  auto checks = check_binlog_files({path}, 1);
  CHECK_FALSE(checks[0].ok);
  CHECK(checks[0].problem.find("differs from the") != std::string::npos);
}

TEST_CASE("verify's sequence check finds a missing number per folder and prefix") {
  std::vector<BinlogCheck> checks(4);
  checks[0].path = "/x/mysql-bin.000001";
  checks[1].path = "/x/mysql-bin.000003";
  checks[2].path = "/y/mysql-bin.000002";  // another folder: its own sequence
  checks[3].path = "/x/other-bin.000009";  // another prefix: its own sequence
  auto breaks = sequence_breaks(checks);
  REQUIRE(breaks.size() == 1);
  CHECK(breaks[0].folder == "/x");
  CHECK(breaks[0].gap.after == "mysql-bin.000001");
  CHECK(breaks[0].gap.before == "mysql-bin.000003");
  CHECK(breaks[0].gap.reason == "file number 2 is missing");
}

TEST_CASE("a binlog removed before verify reads it (retention meanwhile) gets no verdict and no gap") {
  TempDir dir;
  auto checks = check_binlog_files({dir.file("mysql-bin.000002")}, 1);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].vanished);
  CHECK(sequence_breaks(checks).empty());
}
