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

TEST_CASE("a context the message starts with already is not said twice") {
  Error error = failure("/b/x.sql.gz: gzip stream is truncated");
  error.add_context("/b/x.sql.gz");
  CHECK(std::string(error.what()) == "/b/x.sql.gz: gzip stream is truncated");
  error.add_context("/b/x.sql");  // a prefix of the name, not the name
  CHECK(std::string(error.what()) == "/b/x.sql: /b/x.sql.gz: gzip stream is truncated");
}

TEST_CASE("string helpers") {
  CHECK(core::split("a|b||c", '|') == std::vector<std::string>{"a", "b", "c"});
  CHECK(core::trim("  x y \n") == "x y");
  CHECK(core::iequals("MySQL", "mysql"));
  CHECK(core::human_size(1536) == "1.5 KiB");
}

TEST_CASE("a date-time that does not exist is refused, not normalised to another day") {
  CHECK_FALSE(core::parse_datetime("2026-02-30 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-04-31 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-02-29 10:00:00"));  // 2026 is not a leap year
  CHECK(core::parse_datetime("2028-02-29 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2100-02-29 10:00:00"));
  CHECK(core::parse_datetime("2000-02-29 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-01-01 24:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-01-01 23:60:00"));
  CHECK_FALSE(core::parse_datetime("2026-01-01 23:59:60"));
  CHECK_FALSE(core::parse_datetime("2026-13-01 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-00-01 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-01-00 10:00:00"));
  // sscanf's %d took signs and blanks: "-1" as an hour, " 1" as a day.
  CHECK_FALSE(core::parse_datetime("2026-01-01 -1:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-01- 1 10:00:00"));
  CHECK_FALSE(core::parse_datetime("2026-01-01T10:00:00+01"));
  CHECK_FALSE(core::parse_datetime("2026-01-01T10:00:00+01:00x"));
  CHECK_FALSE(core::parse_datetime("2026-01-01 10:00:00 "));
  auto short_fields = core::parse_datetime("2026-1-5 3:4:5");
  REQUIRE(short_fields);
  CHECK(core::to_epoch(*short_fields, 0) == core::to_epoch(*core::parse_datetime("2026-01-05 03:04:05"), 0));
  auto west = core::parse_datetime("2026-01-01T10:00:00-05:30");
  REQUIRE(west);
  CHECK(*west->utc_offset_seconds == -(5 * 3600 + 30 * 60));
}

TEST_CASE("a file name's date that does not exist is not read as another day") {
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK_FALSE(core::parse_local("2026-02-30_10-00", "%Y-%m-%d_%H-%M"));
  CHECK_FALSE(core::parse_local("2026-02-29_10-00", "%Y-%m-%d_%H-%M"));
  CHECK(core::parse_local("2028-02-29_10-00", "%Y-%m-%d_%H-%M"));
  CHECK_FALSE(core::parse_local("2026-01-01_24-00", "%Y-%m-%d_%H-%M"));
}

TEST_CASE("the beginning of a date is judged only on the fields it completes") {
  CHECK(core::possible_date_prefix("2026-11-23"));
  CHECK(core::possible_date_prefix("2026-11-23_23-10"));
  CHECK(core::possible_date_prefix("2026-1"));   // October to December still possible
  CHECK(core::possible_date_prefix("2026-02-3"));  // 2026-02-3x: none exists, but 3 alone is no day yet
  CHECK(core::possible_date_prefix("2026"));
  CHECK(core::possible_date_prefix("23-11-2026"));  // another form: not judged here
  CHECK_FALSE(core::possible_date_prefix("2026-02-30"));
  CHECK_FALSE(core::possible_date_prefix("2026-13"));
  CHECK_FALSE(core::possible_date_prefix("2026-13-01"));
  CHECK_FALSE(core::possible_date_prefix("2026-00-01"));
  CHECK_FALSE(core::possible_date_prefix("2026-11-23_24-00"));
  CHECK_FALSE(core::possible_date_prefix("2026-11-23_23-60"));
  CHECK_FALSE(core::possible_date_prefix("2026-11-23_23-10-61"));
}
