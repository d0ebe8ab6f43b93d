#include <doctest/doctest.h>

#include <cstring>

#include "archive/binlog_check.hpp"
#include "archive/binlog_stream_check.hpp"
#include "binlog/scan.hpp"
#include "io/sha256.hpp"
#include "support/fixture.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;
using mysqlpitr::testing::read_file;
using mysqlpitr::testing::TempDir;

namespace {

const std::string kChecksummed = "/usr/share/mysql/mysql-test/std_data/mdev29078-mysql-bin.000001";

// An object's bytes as a bucket reader hands them out: in small, uneven pieces.
class Pieces final : public mysqlpitr::io::ByteSource {
 public:
  explicit Pieces(std::string data) : data_(std::move(data)) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min({size, data_.size() - at_, size_t{777}});
    std::memcpy(buffer, data_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t at_ = 0;
};

RecordedCopy record_of(const std::string& bytes) {
  mysqlpitr::io::Sha256 sha;
  sha.update(bytes);
  return {bytes.size(), sha.hex_digest()};
}

BinlogCheck stream_check(const std::string& bytes, const std::optional<RecordedCopy>& record) {
  return check_binlog_stream("s3://b/binlogs/mysql-bin.000001", std::make_unique<Pieces>(bytes), bytes.size(), record);
}

}  // namespace

TEST_CASE("a binlog streamed from a bucket is checked as the file is: events, CRC32, the summary the gap check needs" *
          mysqlpitr::testing::skip_without(mysqlpitr::testing::mariadb_test_data())) {
  mysqlpitr::testing::require(mysqlpitr::testing::mariadb_test_data());
  TempDir dir;
  std::string whole = read_file(kChecksummed);
  std::string path = dir.write("mysql-bin.000001", whole);
  BinlogCheck file = check_binlog_files({path}, 1).at(0);
  mysqlpitr::binlog::FileSummary scanned = mysqlpitr::binlog::scan_file(path);

  BinlogCheck streamed = stream_check(whole, record_of(whole));
  CHECK(streamed.ok);
  CHECK(streamed.checked_against_record);
  CHECK(streamed.checksums == file.checksums);
  CHECK(streamed.events == file.events);
  CHECK(streamed.summary.event_count == scanned.event_count);
  CHECK(streamed.summary.rotate_to == scanned.rotate_to);
  CHECK(streamed.summary.ends_with_stop == scanned.ends_with_stop);
  CHECK(streamed.summary.in_use == scanned.in_use);
  CHECK(streamed.summary.server_id == scanned.server_id);
  CHECK(streamed.summary.first_event_time == scanned.first_event_time);
  CHECK(streamed.summary.last_event_time == scanned.last_event_time);
  CHECK(streamed.summary.gtid_list.size() == scanned.gtid_list.size());
  CHECK(streamed.summary.last_gtids.size() == scanned.last_gtids.size());
}

TEST_CASE("a streamed binlog fails without its record, against another record, or damaged, naming the object" *
          mysqlpitr::testing::skip_without(mysqlpitr::testing::mariadb_test_data())) {
  mysqlpitr::testing::require(mysqlpitr::testing::mariadb_test_data());
  std::string whole = read_file(kChecksummed);

  BinlogCheck unrecorded = stream_check(whole, std::nullopt);
  CHECK_FALSE(unrecorded.ok);
  CHECK(unrecorded.problem.find("s3://b/binlogs/mysql-bin.000001: no mysqlpitr record") != std::string::npos);

  RecordedCopy other = record_of(whole);
  other.sha256[0] = other.sha256[0] == '0' ? '1' : '0';
  BinlogCheck differs = stream_check(whole, other);
  CHECK_FALSE(differs.ok);
  CHECK(differs.problem.find("differs from the") != std::string::npos);

  std::string damaged = whole;
  damaged[damaged.size() - 10] = static_cast<char>(damaged[damaged.size() - 10] ^ 0x40);
  BinlogCheck bad = stream_check(damaged, record_of(damaged));
  CHECK_FALSE(bad.ok);
  CHECK(bad.problem.find("s3://b/binlogs/mysql-bin.000001") != std::string::npos);
  CHECK(bad.problem.find("byte offset") != std::string::npos);
  CHECK_FALSE(bad.summary.error.empty());

  BinlogCheck cut = stream_check(whole.substr(0, whole.size() - 3), record_of(whole));
  CHECK_FALSE(cut.ok);
}
