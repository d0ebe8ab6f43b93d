#include <doctest/doctest.h>

#include "config/duration.hpp"
#include "config/load.hpp"
#include "core/error.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"
#include "unit/config/load_settings.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::load;
using mysqlpitr::testing::TempDir;

TEST_CASE("durations: seconds or numbers with units, added up, read back as written") {
  CHECK(config::parse_duration("90")->seconds == 90);
  CHECK(config::parse_duration("90s")->seconds == 90);
  CHECK(config::parse_duration("15m")->seconds == 900);
  CHECK(config::parse_duration("26h")->seconds == 26 * 3600);
  CHECK(config::parse_duration("2D")->seconds == 2 * 86400);
  CHECK(config::parse_duration("1w")->seconds == 7 * 86400);
  CHECK(config::parse_duration(" 1h 30m ")->seconds == 5400);
  for (const char* bad : {"", "h", "-5m", "1.5h", "10x", "1h30", "99999999999999999999w", "5 minutes"})
    CHECK_MESSAGE(!config::parse_duration(bad), bad);
  for (std::int64_t seconds : {0L, 1L, 59L, 60L, 5400L, 93600L, 604800L, 691200L, 90061L}) {
    std::string text = config::format_duration({seconds});
    CHECK_MESSAGE(config::parse_duration(text)->seconds == seconds, text);
  }
  CHECK(config::format_duration({26 * 3600}) == "1d2h");
  CHECK(config::format_duration({1800}) == "30m");
  CHECK(config::format_duration({8 * 86400}) == "8d");
}

TEST_CASE("status thresholds: defaults, TOML strings or integers, refused when not durations") {
  TempDir dir;
  auto defaults = load(dir.write("a.toml", "[mysql]\nuser = \"u\"\n"));
  CHECK(defaults.status.max_dump_age.value.seconds == 26 * 3600);
  CHECK(defaults.status.max_base_age.value.seconds == 26 * 3600);
  CHECK(defaults.status.max_recovery_point.value.seconds == 1800);
  auto set = load(dir.write("b.toml", "[status]\nmax_dump_age = \"2d\"\nmax_recovery_point = 600\n"));
  CHECK(set.status.max_dump_age.value.seconds == 2 * 86400);
  CHECK(set.status.max_recovery_point.value.seconds == 600);
  auto from_env = load(dir.write("c.toml", ""), {{"MYSQLPITR_STATUS_MAX_BASE_AGE", "36h"}});
  CHECK(from_env.status.max_base_age.value.seconds == 36 * 3600);
  CHECK(from_env.status.max_base_age.origin == "environment MYSQLPITR_STATUS_MAX_BASE_AGE");
  CHECK_THROWS_WITH(load(dir.write("d.toml", "[status]\nmax_dump_age = \"soon\"\n")),
                    doctest::Contains("status.max_dump_age must be a duration"));
  CHECK_THROWS_WITH(load(dir.write("e.toml", "[status]\nmax_dump_age = 0\n")), doctest::Contains("status.max_dump_age"));
}
