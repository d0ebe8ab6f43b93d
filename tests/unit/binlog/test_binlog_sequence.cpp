// Binlog folders as sequences: names, numbering, gaps, the per-file cache.
#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>

#include "binlog/name.hpp"
#include "binlog/sequence.hpp"
#include "fixtures.hpp"
#include "temp_folder.hpp"

using namespace mysqlpitr;
using namespace binlog_test;

namespace {

binlog::BinlogFile file(const std::string& name, std::uint64_t number) {
  binlog::BinlogFile f;
  f.name = name;
  f.number = number;
  return f;
}

// Two Debian test binlogs: one that rotates, one of a MariaDB server with GTIDs.
constexpr const char* kSource = "std_data/mdev29078-mysql-bin.000001";
constexpr const char* kRotating = "std_data/bug47142_master-bin.000001";


}  // namespace

TEST_CASE("binlog names are basename, dot, six or more digits; index and temp files are not") {
  auto name = binlog::parse_binlog_name("mysql-bin.000042");
  REQUIRE(name);
  CHECK(name->prefix == "mysql-bin");
  CHECK(name->sequence == 42);
  CHECK(name->digits == 6);
  CHECK(binlog::parse_binlog_name("mariadb-bin.1000000")->sequence == 1000000);
  CHECK(binlog::parse_binlog_name("mariadb-bin.1000000")->digits == 7);
  CHECK_FALSE(binlog::parse_binlog_name("mysql-bin.index"));
  CHECK_FALSE(binlog::parse_binlog_name("mysql-bin.00042"));
  CHECK_FALSE(binlog::parse_binlog_name("mysql-bin.00000000042"));
  CHECK_FALSE(binlog::parse_binlog_name(".mysql-bin.000042.partial-abc123"));
  CHECK_FALSE(binlog::parse_binlog_name(".mysql-bin.000042"));
  // Names become files and object keys: never a path, never control characters.
  CHECK_FALSE(binlog::parse_binlog_name("../mysql-bin.000042"));
  CHECK_FALSE(binlog::parse_binlog_name("/var/lib/mysql/mysql-bin.000042"));
  CHECK_FALSE(binlog::parse_binlog_name("sub\\mysql-bin.000042"));
  CHECK_FALSE(binlog::parse_binlog_name("mysql\nbin.000042"));
  CHECK(binlog::parse_binlog_name("my sql-bin.000042"));  // a space is a plain file name
}

TEST_CASE("binlog names sort by number within a prefix, not as text") {
  CHECK(binlog::binlog_name_less("mysql-bin.999999", "mysql-bin.1000000"));
  CHECK_FALSE(binlog::binlog_name_less("mysql-bin.1000000", "mysql-bin.999999"));
  CHECK(binlog::binlog_name_less("a-bin.000009", "b-bin.000001"));
}

TEST_CASE("a missing number, a rotate to another name and a GTID discontinuity are gaps") {
  std::vector<binlog::BinlogFile> files = {file("b.000001", 1), file("b.000002", 2),
                                           file("b.000004", 4), file("b.000005", 5),
                                           file("b.000006", 6)};
  files[0].summary.rotate_to = "b.000002";
  files[1].summary.rotate_to = "b.000003";
  files[2].summary.rotate_to = "other.000005";
  files[3].summary.last_gtids[0] = {0, 1, 41};
  files[4].summary.gtid_list = {{0, 1, 40}};
  auto gaps = binlog::find_gaps(files);
  REQUIRE(gaps.size() == 3);
  CHECK(gaps[0].after == "b.000002");
  CHECK(gaps[0].before == "b.000004");
  CHECK(gaps[0].reason == "file number 3 is missing");
  CHECK(gaps[1].reason == "b.000004 rotates to other.000005, not b.000005");
  CHECK(gaps[2].reason.find("ends at GTID 0-1-41") != std::string::npos);

  // The same chain made whole has no gap; a file that ended with Stop instead of Rotate (server
  // restart) followed by the next number is no gap either.
  files[2] = file("b.000003", 3);
  files[1].summary.rotate_to = "b.000003";
  files[4].summary.gtid_list = {{0, 1, 41}, {1, 2, 7}};
  std::sort(files.begin(), files.end(), [](auto& a, auto& b) { return a.number < b.number; });
  files[2].number = 3;
  files[3].number = 4;
  files[4].number = 5;
  files[3].name = "b.000004";
  files[4].name = "b.000005";
  files[2].summary.rotate_to.reset();
  files[2].summary.ends_with_stop = true;
  files[3].summary.rotate_to = "b.000005";
  for (int i = 0; i < 4; ++i) files[i].summary.gtid_list = {{1, 2, 7}};  // domain 1's state, carried on
  CHECK(binlog::find_gaps(files).empty());
}

TEST_CASE("a file cut short before its closing event is a gap, unless it is the last") {
  std::vector<binlog::BinlogFile> files = {file("b.000001", 1), file("b.000002", 2), file("b.000003", 3)};
  files[0].summary.size = 5000;
  files[0].summary.last_gtids[0] = {0, 1, 41};
  files[1].summary.gtid_list = {{0, 1, 41}};
  files[1].summary.last_gtids[0] = {0, 1, 50};
  files[1].summary.rotate_to = "b.000003";
  files[2].summary.gtid_list = {{0, 1, 50}};
  // The last file (the active one) has no closing event: no gap.
  auto gaps = binlog::find_gaps(files);
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0].after == "b.000001");
  CHECK(gaps[0].reason == "b.000001 ends at byte 5000 without its closing Rotate event: it was cut short, and "
                          "whatever followed byte 5000 is missing");

  // Cut after more transactions than the next file's state says: both facts are named.
  files[1].summary.gtid_list = {{0, 1, 45}};
  gaps = binlog::find_gaps(files);
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0].reason.find("cut short") != std::string::npos);
  CHECK(gaps[0].reason.find("ends at GTID 0-1-41 but b.000002 starts from 0-1-45") != std::string::npos);

  // A file the server died writing (still marked in use) whose GTIDs the next file continues lost
  // nothing; without that proof it is a gap.
  files[0].summary.in_use = true;
  CHECK(binlog::find_gaps(files).size() == 1);
  files[1].summary.gtid_list = {{0, 1, 41}};
  CHECK(binlog::find_gaps(files).empty());
  files[1].summary.gtid_list.clear();
  files[1].summary.last_gtids.clear();
  files[2].summary.gtid_list.clear();
  REQUIRE(binlog::find_gaps(files).size() == 1);
  CHECK(binlog::find_gaps(files)[0].reason.find("still marked in use") != std::string::npos);
}

TEST_CASE("GTID continuity: each domain's latest entry, and no domain the previous file never reached") {
  std::vector<binlog::BinlogFile> files = {file("b.000001", 1), file("b.000002", 2)};
  files[0].summary.rotate_to = "b.000002";
  files[0].summary.gtid_list = {{0, 1, 10}, {1, 3, 4}};
  files[0].summary.last_gtids[0] = {0, 1, 12};
  // Another server id's older GTID of domain 0 is listed first; the domain's latest comes last.
  files[1].summary.gtid_list = {{0, 2, 99}, {0, 1, 12}, {1, 3, 4}};
  CHECK(binlog::find_gaps(files).empty());
  // A domain the previous file did not write keeps its state.
  files[1].summary.gtid_list = {{0, 1, 12}, {1, 3, 6}};
  REQUIRE(binlog::find_gaps(files).size() == 1);
  CHECK(binlog::find_gaps(files)[0].reason == "b.000001 ends at GTID 1-3-4 but b.000002 starts from 1-3-6");
  // All of the previous file's GTIDs gone (a cut before its first GTID) shows as a new domain.
  files[0].summary.gtid_list.clear();
  files[0].summary.last_gtids.clear();
  files[1].summary.gtid_list = {{0, 1, 12}};
  REQUIRE(binlog::find_gaps(files).size() == 1);
  CHECK(binlog::find_gaps(files)[0].reason == "b.000002 starts from GTID 0-1-12 but b.000001 holds no GTID of domain 0");
}

TEST_CASE("listing a folder reads headers only, caches by size and mtime, and skips other files" *
          testing::skip_without(testing::mariadb_test_data())) {
  const std::string source = fixture(kSource), rotating = fixture(kRotating);
  testing::require(testing::mariadb_test_data());
  TempFolder folder;
  namespace fs = std::filesystem;
  fs::copy_file(rotating, folder.file("master-bin.000001"));
  fs::copy_file(source, folder.file("master-bin.000002"));
  fs::copy_file(source, folder.file("master-bin.000004"));
  write_bytes(folder.file("master-bin.index"), "./master-bin.000001\n");
  write_bytes(folder.file(".master-bin.000005.partial-x1"), "partial copy");

  binlog::Inventory first = binlog::list_binlogs(folder.path());
  CHECK(first.basename == "master-bin");
  REQUIRE(first.files.size() == 3);
  CHECK(first.files[0].summary.rotate_to == "master-bin.000002");
  CHECK(first.files[0].summary.server_version == "4.1.26-debug-log");
  const auto& second = first.files[1].summary;
  CHECK(second.first_event_time == 1658586263u);  // 220723 14:24:23 UTC
  CHECK(second.last_event_time == 1658586348u);   // 220723 14:25:48, the Stop event
  CHECK(second.event_count == 12);
  CHECK(second.server_id == 1);
  CHECK(second.ends_with_stop);
  CHECK(second.last_gtids.at(0).sequence == 3);
  REQUIRE(first.gaps.size() == 1);
  CHECK(first.gaps[0].reason == "file number 3 is missing");
  CHECK(fs::exists(folder.file(binlog::kCacheFileName)));

  // The cache answers the second time: prove it by planting a different summary in it.
  std::string cache = read_bytes(folder.file(binlog::kCacheFileName));
  auto at = cache.find("\"event_count\":12");
  REQUIRE(at != std::string::npos);
  cache.replace(at, 16, "\"event_count\":99");
  write_bytes(folder.file(binlog::kCacheFileName), cache);
  CHECK(binlog::list_binlogs(folder.path()).files[1].summary.event_count == 99);

  // A file that changes size is scanned again.
  std::string bytes = read_bytes(folder.file("master-bin.000002"));
  write_bytes(folder.file("master-bin.000002"), bytes.substr(0, 600));
  binlog::Inventory cut = binlog::list_binlogs(folder.path());
  CHECK(cut.files[1].summary.event_count == 6);  // events before the cut one
  CHECK(cut.files[1].summary.error.find("at byte offset 524") != std::string::npos);
  CHECK_FALSE(cut.warnings.empty());
}

TEST_CASE("files scanned on several threads each get their own file's summary, in number order" *
          testing::skip_without(testing::mariadb_test_data())) {
  const std::string source = fixture(kSource), rotating = fixture(kRotating);
  testing::require(testing::mariadb_test_data());
  TempFolder folder;
  namespace fs = std::filesystem;
  for (int number = 1; number <= 12; ++number) {
    fs::copy_file(number % 3 == 0 ? rotating : source, folder.file(fmt::format("b.{:06}", number)));
  }
  const binlog::FileSummary alone[2] = {binlog::scan_file(source), binlog::scan_file(rotating)};
  REQUIRE(alone[0].event_count != alone[1].event_count);
  binlog::ListOptions options;
  options.use_cache = false;
  binlog::Inventory inventory = binlog::list_binlogs(folder.path(), options);
  REQUIRE(inventory.files.size() == 12);
  for (std::size_t i = 0; i < inventory.files.size(); ++i) {
    const auto& file = inventory.files[i];
    CAPTURE(file.name);
    CHECK(file.number == i + 1);
    CHECK(file.summary.path == file.path);
    const auto& expected = alone[file.number % 3 == 0 ? 1 : 0];
    CHECK(file.summary.event_count == expected.event_count);
    CHECK(file.summary.rotate_to == expected.rotate_to);
  }
}
