#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "archive/stream_sink.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;

namespace {

void put32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// An event without checksum: header (timestamp, type, server id, length, end position, flags), body.
std::vector<std::uint8_t> event(std::uint8_t type, std::uint32_t log_pos, const std::string& body,
                                std::uint16_t flags = 0, std::uint32_t timestamp = 1700000000) {
  std::vector<std::uint8_t> out(19 + body.size());
  std::copy(body.begin(), body.end(), out.begin() + 19);
  put32(out, 0, timestamp);
  out[4] = type;
  put32(out, 5, 1);
  put32(out, 9, static_cast<std::uint32_t>(19 + body.size()));
  put32(out, 13, log_pos);
  out[17] = static_cast<std::uint8_t>(flags);
  out[18] = static_cast<std::uint8_t>(flags >> 8);
  return out;
}

std::vector<std::uint8_t> fake_rotate(std::uint64_t position, const std::string& name) {
  std::string body(8, '\0');
  for (int i = 0; i < 8; ++i) body[i] = static_cast<char>(position >> (8 * i));
  return event(4, 0, body + name, 0x20, 0);
}

}  // namespace

TEST_CASE("the stream writes the server's events, not its stand-ins, and refuses a gap") {
  mysqlpitr::testing::TempDir dir;
  StreamSink sink(dir.path(), {"mysql-bin.000001", 4, 0});
  CHECK_FALSE(sink.take(fake_rotate(4, "mysql-bin.000001")));
  CHECK_FALSE(sink.take(event(15, 0, "re-sent format description")));  // end position 0: artificial
  auto query = event(2, 4 + 19 + 5, "BEGIN");
  CHECK_FALSE(sink.take(query));
  CHECK_FALSE(sink.take(event(27, 999, "heartbeat")));
  CHECK(sink.point().position == 4 + query.size());
  // An event that does not end where the copy would: a gap or a duplicate, never written.
  CHECK_THROWS_AS(sink.take(event(2, 4000, "COMMIT")), mysqlpitr::Error);
  sink.sync();
  std::string file = mysqlpitr::io::read_file(dir.path() + "/mysql-bin.000001.streaming");
  CHECK(file.size() == 4 + query.size());
  CHECK(file.substr(0, 4) == "\xfe" "bin");
  CHECK(file.substr(4) == std::string(query.begin(), query.end()));
  CHECK(sink.events() == 1);
}

TEST_CASE("a resumed stream goes on at the byte the server continues at") {
  mysqlpitr::testing::TempDir dir;
  {
    StreamSink first(dir.path(), {"mysql-bin.000002", 4, 0});
    first.take(fake_rotate(4, "mysql-bin.000002"));
    first.take(event(2, 4 + 19 + 5, "BEGIN"));
    first.sync();
  }
  StreamSink second(dir.path(), {"mysql-bin.000002", 28, 0});
  CHECK_FALSE(second.take(fake_rotate(28, "mysql-bin.000002")));
  CHECK_FALSE(second.take(event(2, 28 + 19 + 6, "COMMIT")));
  second.sync();
  CHECK(mysqlpitr::io::read_file(dir.path() + "/mysql-bin.000002.streaming").size() == 28 + 25);
  // The server continuing elsewhere than the copy's end is refused.
  StreamSink third(dir.path(), {"mysql-bin.000002", 53, 0});
  third.take(fake_rotate(53, "mysql-bin.000002"));
  CHECK_THROWS_AS(third.take(fake_rotate(60, "mysql-bin.000002")), mysqlpitr::Error);
}

TEST_CASE("a binlog name from the server that is not a plain file name writes nothing") {
  mysqlpitr::testing::TempDir dir;
  std::string inside = dir.path() + "/archive";
  std::filesystem::create_directory(inside);
  for (const std::string name : {"../escaped.000001", "sub/dir.000001", ".hidden.000001", "tab\tname.000001"}) {
    StreamSink sink(inside, {"mysql-bin.000001", 4, 0});
    CHECK_THROWS_AS(sink.take(fake_rotate(4, name)), mysqlpitr::Error);
    // After a Rotate the stream opens the file it named when the next event comes.
    StreamSink rotated(inside, {name, 4, 0});
    CHECK_THROWS_AS(rotated.take(event(2, 4 + 19 + 5, "BEGIN")), mysqlpitr::Error);
  }
  CHECK_FALSE(mysqlpitr::io::stat_entry(dir.path() + "/escaped.000001.streaming"));
  CHECK_FALSE(mysqlpitr::io::stat_entry(inside + "/sub"));
  CHECK_FALSE(mysqlpitr::io::stat_entry(inside + "/.hidden.000001.streaming"));
}
