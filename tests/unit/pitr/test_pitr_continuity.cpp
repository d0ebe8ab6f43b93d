// The plan's continuity checks, fed with binlog summaries: a file cut at an event boundary, a GTID
// state that does not continue, and a server whose binlog numbering restarted.
#include <doctest/doctest.h>

#include <functional>

#include "core/error.hpp"
#include "pitr/continuity.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::pitr;

namespace {

binlog::BinlogFile summarised(const std::string& name, std::uint64_t number) {
  binlog::BinlogFile file;
  file.name = name;
  file.path = "/archive/" + name;
  file.number = number;
  file.summary.size = 9000;
  file.summary.last_event_time = 1764700000;  // 2025-12-02 18:26:40 UTC
  return file;
}

ChainFile chain_file(const std::string& name, std::uint64_t sequence, const std::string& source, bool in_both) {
  ChainFile file;
  file.name = name;
  file.path = "/" + source + "/" + name;
  file.size = 9000;
  file.sequence = sequence;
  file.source = source;
  file.in_both = in_both;
  return file;
}

// The message of the precondition Error `fn` throws ("" when it throws none; fails on another code).
std::string refusal(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::precondition);
    return error.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Three files of one MariaDB server, each closed by its Rotate, GTIDs continuing.
std::vector<binlog::BinlogFile> whole_sequence() {
  std::vector<binlog::BinlogFile> files = {summarised("mysql-bin.000004", 4), summarised("mysql-bin.000005", 5),
                                           summarised("mysql-bin.000006", 6)};
  files[0].summary.rotate_to = "mysql-bin.000005";
  files[0].summary.last_gtids[0] = {0, 1, 100};
  files[1].summary.gtid_list = {{0, 1, 100}};
  files[1].summary.rotate_to = "mysql-bin.000006";
  files[1].summary.last_gtids[0] = {0, 1, 180};
  files[2].summary.gtid_list = {{0, 1, 180}};
  return files;
}

}  // namespace

TEST_CASE("a replay across whole binlogs is not refused") {
  CHECK(refusal([] { require_continuous(whole_sequence()); }).empty());
}

TEST_CASE("a binlog cut at an event boundary before its Rotate is refused, naming the file and what is missing") {
  auto files = whole_sequence();
  files[1].summary.rotate_to.reset();
  files[1].summary.last_gtids[0] = {0, 1, 120};  // cut after GTID 120: 121..180 are gone
  std::string message = refusal([&] { require_continuous(files); });
  CHECK(has(message, "binlog mysql-bin.000005 does not continue into mysql-bin.000006"));
  CHECK(has(message, "without its closing Rotate event"));
  CHECK(has(message, "ends at GTID 0-1-120 but mysql-bin.000006 starts from 0-1-180"));
  CHECK(has(message, "nothing was changed"));

  // Cut exactly before the Rotate, nothing else lost: still refused, since a closed binlog without
  // its closing event cannot be told from one that lost transactions when there are no GTIDs.
  files = whole_sequence();
  files[0].summary.rotate_to.reset();
  CHECK(has(refusal([&] { require_continuous(files); }), "mysql-bin.000004 ends at byte 9000 without its closing"));
}

TEST_CASE("the last file read to its end may lack a closing event only while it is open") {
  auto files = whole_sequence();
  CHECK(refusal([&] { require_whole_last(files[1]); }).empty());  // closed by its Rotate
  files[2].summary.in_use = true;                                  // the server's active binlog
  CHECK(refusal([&] { require_whole_last(files[2]); }).empty());
  files[2].summary.in_use = false;  // a closed file without its Rotate: cut
  std::string message = refusal([&] { require_whole_last(files[2]); });
  CHECK(has(message, "mysql-bin.000006 ends at byte 9000 without its closing Rotate event and is not marked in use"));
  CHECK(has(message, "2025-12-02 18:26:40 UTC"));
  files[2].summary.ends_with_stop = true;  // a shutdown closes a file with Stop
  CHECK(refusal([&] { require_whole_last(files[2]); }).empty());
}

TEST_CASE("after RESET MASTER the server's binlog no longer continues the chain: refused, saying what to do") {
  auto files = whole_sequence();
  ChainFile last = chain_file("mysql-bin.000006", 6, "archive", false);
  std::string message = refusal([&] { require_server_continues(last, files[2].summary, {"mysql-bin.000002", "/d"}); });
  CHECK(has(message, "the server's current binlog is mysql-bin.000002, numbered below mysql-bin.000006"));
  CHECK(has(message, "RESET MASTER"));
  CHECK(has(message, "--until-binlog mysql-bin.000006"));
  CHECK(has(message, "--stop-datetime"));

  message = refusal([&] { require_server_continues(last, files[2].summary, {"binlog.000009", "/d"}); });
  CHECK(has(message, "the server writes binlogs named binlog.000009, not mysql-bin.NNNNNN"));

  // The server is ahead of what can be read here.
  message = refusal([&] { require_server_continues(last, files[2].summary, {"mysql-bin.000008", ""}); });
  CHECK(has(message, "the newest binlog found is mysql-bin.000006"));
  CHECK(has(message, "cannot be read from here"));

  // Its current binlog only as the archive's copy (made while it was being written).
  message = refusal([&] { require_server_continues(last, files[2].summary, {"mysql-bin.000006", ""}); });
  CHECK(has(message, "read from the archive's copy"));

  // The server's own file: the chain ends where the server writes.
  CHECK_FALSE(require_server_continues(chain_file("mysql-bin.000006", 6, "datadir", false), files[2].summary,
                                       {"mysql-bin.000006", "/d"}));
  CHECK_FALSE(require_server_continues(chain_file("mysql-bin.000006", 6, "archive", true), files[2].summary,
                                       {"mysql-bin.000006", "/d"}));
}

TEST_CASE("without a server binlog the plan says where the replay ends and what it cannot replay") {
  auto files = whole_sequence();
  auto note = require_server_continues(chain_file("mysql-bin.000005", 5, "archive", false), files[1].summary, {"", ""});
  REQUIRE(note);
  CHECK(has(*note, "it rotates to mysql-bin.000006, which is in neither folder"));
}
