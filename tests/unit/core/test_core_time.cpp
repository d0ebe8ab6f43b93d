#include <doctest/doctest.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

using namespace mysqlpitr;

TEST_CASE("legacy default date format parses from a file name's date part") {
  setenv("TZ", "UTC", 1);
  tzset();
  auto parsed = core::parse_local("2026-11-23_23-10", "%Y-%m-%d_%H-%M");
  REQUIRE(parsed);
  CHECK(core::format_datetime(*parsed) == "2026-11-23 23:10:00");
  CHECK_FALSE(core::parse_local("2026-11-23_23-10x", "%Y-%m-%d_%H-%M"));
  CHECK_FALSE(core::parse_local("yesterday", "%Y-%m-%d_%H-%M"));
}

TEST_CASE("operator date-times with and without an offset") {
  auto plain = core::parse_datetime("2026-11-24 03:00:00");
  REQUIRE(plain);
  CHECK_FALSE(plain->utc_offset_seconds);
  CHECK(core::to_epoch(*plain, 3600) == core::to_epoch(*plain, 0) - 3600);

  auto with_offset = core::parse_datetime("2026-11-24T03:00:00+01:00");
  REQUIRE(with_offset);
  CHECK(*with_offset->utc_offset_seconds == 3600);
  auto zulu = core::parse_datetime("2026-11-24T02:00:00Z");
  REQUIRE(zulu);
  // Both name the same instant whatever zone the caller would have assumed.
  CHECK(core::to_epoch(*with_offset, -18000) == core::to_epoch(*zulu, 7200));

  CHECK_FALSE(core::parse_datetime("2026-13-24 03:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-11-24 03:00:00+1"));
  CHECK_FALSE(core::parse_datetime("24/11/2026"));
}

TEST_CASE("time of day accepts HH:MM and HH:MM:SS only") {
  CHECK(core::parse_time_of_day("07:00") == 7 * 3600);
  CHECK(core::parse_time_of_day("07:00:30") == 7 * 3600 + 30);
  CHECK_FALSE(core::parse_time_of_day("25:00"));
  CHECK_FALSE(core::parse_time_of_day("7"));
}

TEST_CASE("errors gather context outermost first") {
  Error error = failure("line {}: unexpected end", 4187);
  error.add_context("loading shop-back_2026-11-23_23-10.sql.gz");
  error.add_context("restoring shop");
  CHECK(std::string(error.what()) ==
        "restoring shop: loading shop-back_2026-11-23_23-10.sql.gz: line 4187: unexpected end");
  CHECK(error.code() == ExitCode::failed);
}

TEST_CASE("string helpers") {
  CHECK(core::split("a|b||c", '|') == std::vector<std::string>{"a", "b", "c"});
  CHECK(core::trim("  x y \n") == "x y");
  CHECK(core::iequals("MySQL", "mysql"));
  CHECK(core::human_size(1536) == "1.5 KiB");
}
