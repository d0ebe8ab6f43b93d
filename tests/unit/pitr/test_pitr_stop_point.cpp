#include <doctest/doctest.h>

#include "core/error.hpp"
#include "pitr/stop_point.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::pitr;

TEST_CASE("a stop time without an offset is read in the server's time zone") {
  auto stop = stop_at_datetime("2026-11-24 03:00:00", 3600);
  CHECK(stop.kind == StopKind::datetime);
  CHECK(stop.time == 1795489200 - 3600);  // 2026-11-24 03:00:00 UTC is 1795489200
  CHECK(stop.describe().find("server time (+01:00)") != std::string::npos);
  CHECK(stop.describe().find("2026-11-24 02:00:00 UTC") != std::string::npos);
}

TEST_CASE("a stop time with an offset or Z is exact whatever the server's zone") {
  CHECK(stop_at_datetime("2026-11-24T03:00:00Z", 3600).time == stop_at_datetime("2026-11-24 03:00:00", 0).time);
  CHECK(stop_at_datetime("2026-11-24T03:00:00+01:00", -18000).time ==
        stop_at_datetime("2026-11-24 02:00:00", 0).time);
}

TEST_CASE("stop positions are FILE:POS") {
  auto stop = stop_at_position("mysql-bin.000042:1234");
  CHECK(stop.file == "mysql-bin.000042");
  CHECK(stop.position == 1234);
  CHECK_THROWS_AS(stop_at_position("mysql-bin.000042"), Error);
  CHECK_THROWS_AS(stop_at_position("1234"), Error);
  CHECK_THROWS_AS(stop_at_position("mysql-bin.000042:12x"), Error);
}

TEST_CASE("unreadable stop points are usage errors") {
  try {
    stop_at_datetime("yesterday", 0);
    FAIL("accepted");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
  }
  CHECK_THROWS_AS(stop_until_binlog("nonsense"), Error);
  CHECK_THROWS_AS(stop_at_gtid(""), Error);
}

TEST_CASE("a stop GTID is MariaDB domain-server-sequence or MySQL uuid:number, written as the binlog reader prints it") {
  CHECK(stop_at_gtid("0-1-42").gtid == "0-1-42");
  CHECK(stop_at_gtid("0-01-042").gtid == "0-1-42");
  CHECK(stop_at_gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:23").gtid == "3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
  for (const char* bad : {"", "0-1", "0-1-x", "a-1-2", "0-1-2-3", "-1-2", "0-1-42,0-2-3", "not-a-gtid",
                          "3E11FA47-71CA-11E1-9E33:23", "3e11fa47-71ca-11e1-9e33-c80aa9429562:", "4294967296-1-1", "0-1-99999999999999999999"}) {
    CAPTURE(bad);
    try {
      stop_at_gtid(bad);
      FAIL("accepted");
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::usage);
    }
  }
}
