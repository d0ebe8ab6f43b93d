// Cut and corrupt copies of real binlogs: the error names the file and the byte offset of the
// event that cannot be read, and every event before it is still handed out whole.
#include <doctest/doctest.h>

#include <vector>

#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "fixtures.hpp"
#include "temp_folder.hpp"

using namespace mysqlpitr;
using namespace binlog_test;

namespace {

struct Outcome {
  std::vector<std::uint64_t> positions;
  std::string error;
  std::uint64_t error_position = 0;
};

Outcome read_until_error(const std::string& path) {
  Outcome outcome;
  binlog::FileReader reader(path);
  try {
    while (const binlog::Event* event = reader.next()) {
      if (event->payload_index == 0) outcome.positions.push_back(event->position);
    }
  } catch (const Error& error) {
    outcome.error = error.what();
    outcome.error_position = reader.position();
  }
  return outcome;
}

// A checksummed MariaDB 10.3 binlog with GTIDs, DDL and DML, ending in a Stop event.
const std::string kSample = "std_data/mdev29078-mysql-bin.000001";

}  // namespace

TEST_CASE("a binlog cut anywhere reports the file and the offset of the cut event" *
          testing::skip_without(testing::mariadb_test_data())) {
  std::string source = fixture(kSample);
  testing::require(testing::mariadb_test_data());
  Outcome whole = read_until_error(source);
  REQUIRE(whole.error.empty());
  REQUIRE(whole.positions.size() == 12);
  std::string bytes = read_bytes(source);
  TempFolder folder;
  std::string cut = folder.file("cut-bin.000001");
  // Cut inside the header of the event at 482, inside its body, and one byte short of the end.
  for (std::size_t length : {std::size_t(482 + 7), std::size_t(482 + 30), bytes.size() - 1}) {
    CAPTURE(length);
    write_bytes(cut, bytes.substr(0, length));
    Outcome outcome = read_until_error(cut);
    std::uint64_t expected_position = 0;
    std::size_t complete = 0;
    for (auto position : whole.positions) {
      if (position < length && position > expected_position) expected_position = position;
    }
    for (auto position : whole.positions) complete += position < expected_position;
    CHECK(outcome.positions.size() == complete);
    CHECK(outcome.error_position == expected_position);
    CHECK(outcome.error.find(cut) != std::string::npos);
    CHECK(outcome.error.find("at byte offset " + std::to_string(expected_position)) != std::string::npos);
    CHECK(outcome.error.find("truncated") != std::string::npos);
  }
}

TEST_CASE("a flipped byte fails the CRC32 of its event and nothing after it is returned" *
          testing::skip_without(testing::mariadb_test_data())) {
  std::string source = fixture(kSample);
  testing::require(testing::mariadb_test_data());
  std::string bytes = read_bytes(source);
  bytes[600] = static_cast<char>(bytes[600] ^ 0x20);  // inside the Query event at 524..620
  TempFolder folder;
  std::string damaged = folder.file("damaged-bin.000001");
  write_bytes(damaged, bytes);
  Outcome outcome = read_until_error(damaged);
  CHECK(outcome.positions.back() == 482);
  CHECK(outcome.error_position == 524);
  CHECK(outcome.error.find("checksum mismatch") != std::string::npos);
  CHECK(outcome.error.find(damaged) != std::string::npos);

  binlog::ReaderOptions lenient;
  lenient.verify_checksums = false;
  binlog::FileReader reader(damaged, lenient);
  std::size_t count = 0;
  while (reader.next()) ++count;
  CHECK(count == 12);
}

TEST_CASE("a file without the binlog magic is refused") {
  TempFolder folder;
  std::string text = folder.file("not-a-binlog.000001");
  write_bytes(text, "hello world, this is not a binlog");
  Outcome outcome = read_until_error(text);
  CHECK(outcome.positions.empty());
  CHECK(outcome.error.find("bad magic") != std::string::npos);
}

TEST_CASE("an event length below the header is refused" * testing::skip_without(testing::mariadb_test_data())) {
  testing::require(testing::mariadb_test_data());
  TempFolder folder;
  std::string source = fixture(kSample);
  std::string bytes = read_bytes(source);
  bytes[256 + 9] = 5;  // event length of the Gtid_list event at 256
  bytes[256 + 10] = bytes[256 + 11] = bytes[256 + 12] = 0;
  std::string bad_length = folder.file("bad-length.000001");
  write_bytes(bad_length, bytes);
  Outcome outcome = read_until_error(bad_length);
  CHECK(outcome.positions.size() == 1);
  CHECK(outcome.error_position == 256);
  CHECK(outcome.error.find("invalid event length 5") != std::string::npos);
}

TEST_CASE("a missing file is an error naming it") {
  CHECK_THROWS_WITH_AS(binlog::FileReader("/nonexistent/binlog.000001"),
                       doctest::Contains("/nonexistent/binlog.000001"), Error);
}
