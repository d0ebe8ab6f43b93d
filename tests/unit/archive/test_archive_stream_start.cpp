#include <doctest/doctest.h>

#include <fstream>

#include "archive/stream_file.hpp"
#include "archive/stream_start.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;
using mysqlpitr::Error;
using mysqlpitr::ExitCode;

namespace {
const std::vector<std::string> kServer = {"mysql-bin.000005", "mysql-bin.000006", "mysql-bin.000007"};

ExitCode code_of(const ArchiveEnd& end, const std::vector<std::string>& server, std::string& message) {
  try {
    plan_stream_start(end, server);
  } catch (const Error& error) {
    message = error.what();
    return error.code();
  }
  return ExitCode::ok;
}
}  // namespace

TEST_CASE("an empty archive streams from the server's oldest binlog") {
  auto start = plan_stream_start({}, kServer);
  CHECK(start.file == "mysql-bin.000005");
  CHECK(start.position == 4);
}

TEST_CASE("a closed archive goes on with the binlog after its newest") {
  ArchiveEnd end;
  end.newest_closed = "mysql-bin.000005";
  auto start = plan_stream_start(end, kServer);
  CHECK(start.file == "mysql-bin.000006");
  CHECK(start.position == 4);
  end.newest_closed = "mysql-bin.000004";  // purged on the server, but its successor is there
  CHECK(plan_stream_start(end, kServer).file == "mysql-bin.000005");
}

TEST_CASE("a .streaming file goes on from its last whole event") {
  ArchiveEnd end;
  end.newest_closed = "mysql-bin.000005";
  end.streaming = "mysql-bin.000006";
  end.streaming_end = 1234;
  auto start = plan_stream_start(end, kServer);
  CHECK(start.file == "mysql-bin.000006");
  CHECK(start.position == 1234);
  end.streaming_end = 0;  // not even the magic: started anew
  CHECK(plan_stream_start(end, kServer).position == 4);
}

TEST_CASE("binlogs purged before they were streamed are named, exit 5") {
  ArchiveEnd end;
  end.newest_closed = "mysql-bin.000002";
  std::string message;
  CHECK(code_of(end, kServer, message) == ExitCode::precondition);
  CHECK(message.find("mysql-bin.000003 to mysql-bin.000004") != std::string::npos);
  end.streaming = "mysql-bin.000003";
  end.streaming_end = 400;
  CHECK(code_of(end, kServer, message) == ExitCode::precondition);
  CHECK(message.find("mysql-bin.000003") != std::string::npos);
  ArchiveEnd newer;
  newer.newest_closed = "mysql-bin.000009";  // RESET MASTER, or another server
  CHECK(code_of(newer, kServer, message) == ExitCode::precondition);
}

TEST_CASE("streaming names are told apart from binlog names") {
  CHECK(streaming_name("mysql-bin.000006") == "mysql-bin.000006.streaming");
  CHECK(streamed_binlog("mysql-bin.000006.streaming") == std::optional<std::string>("mysql-bin.000006"));
  CHECK_FALSE(streamed_binlog("mysql-bin.000006"));
  CHECK_FALSE(streamed_binlog("notes.streaming"));
  CHECK_FALSE(streamed_binlog(".streaming"));
}

TEST_CASE("the whole part of a torn file ends before the torn bytes") {
  mysqlpitr::testing::TempDir dir;
  std::string path = dir.path() + "/mysql-bin.000001.streaming";
  { std::ofstream(path, std::ios::binary) << "\xfe" "bin" "torn"; }
  CHECK(whole_part(path).end == 4);
  { std::ofstream(path, std::ios::binary) << "xx"; }
  CHECK(whole_part(path).end == 0);
}
