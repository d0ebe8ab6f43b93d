#include <doctest/doctest.h>

#include <algorithm>

#include "archive/binlog_expiry.hpp"

using namespace mysqlpitr::archive;

namespace {
constexpr std::time_t kNow = 1'800'000'000;
constexpr std::time_t kDay = 86400;

// mysql-bin.000001 .. .0000NN, file n closed (NN - n + 1) days ago: the newest is one day old.
std::vector<ArchivedBinlog> daily_binlogs(int count, const std::string& prefix = "mysql-bin") {
  std::vector<ArchivedBinlog> binlogs;
  for (int n = 1; n <= count; ++n) {
    std::string name = prefix + "." + std::string(6 - std::to_string(n).size(), '0') + std::to_string(n);
    binlogs.push_back({name, "/archive/" + name, 1000, kNow - (count - n + 1) * kDay});
  }
  return binlogs;
}

PitrBase base(const std::string& database, const std::string& file, std::time_t mtime = kNow - 2 * kDay) {
  return {"/inc/" + database + "-back.sql", mtime, mysqlpitr::catalog::BinlogCoordinates{file, 4, ""}};
}

std::vector<std::string> removed(const std::vector<BinlogDecision>& decisions) {
  std::vector<std::string> names;
  for (const auto& decision : decisions)
    if (decision.remove) names.push_back(decision.binlog.name);
  return names;
}

const BinlogDecision& decision_for(const std::vector<BinlogDecision>& decisions, const std::string& name) {
  auto found = std::find_if(decisions.begin(), decisions.end(), [&](const auto& d) { return d.binlog.name == name; });
  REQUIRE(found != decisions.end());
  return *found;
}
}  // namespace

TEST_CASE("binlog retention deletes archived binlogs older than the limit when no base needs them") {
  auto decisions = decide_binlog_retention(daily_binlogs(10), {}, {kNow, 7, 1});
  // Files 1..3 were closed 10, 9 and 8 days ago; file 4 seven days ago is not older than 7 days.
  CHECK(removed(decisions) == std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000003"});
  CHECK(decision_for(decisions, "mysql-bin.000004").reason.find("younger than 7 days") != std::string::npos);
}

TEST_CASE("binlog retention keeps the file a PITR base's coordinates name and every later one, however old") {
  auto decisions = decide_binlog_retention(daily_binlogs(10), {base("shop", "mysql-bin.000002")}, {kNow, 0, 1});
  CHECK(removed(decisions) == std::vector<std::string>{"mysql-bin.000001"});
  const auto& needed = decision_for(decisions, "mysql-bin.000002");
  CHECK_FALSE(needed.remove);
  CHECK(needed.reason.find("needed by PITR base shop-back.sql") != std::string::npos);
  CHECK(needed.reason.find("mysql-bin.000002") != std::string::npos);
}

TEST_CASE("binlog retention follows the oldest of several bases") {
  auto decisions = decide_binlog_retention(
      daily_binlogs(10), {base("shop", "mysql-bin.000008"), base("crm", "mysql-bin.000005"), base("hr", "mysql-bin.000009")},
      {kNow, 0, 1});
  CHECK(removed(decisions) ==
        std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000003", "mysql-bin.000004"});
  CHECK(decision_for(decisions, "mysql-bin.000005").reason.find("crm-back.sql") != std::string::npos);
  CHECK(decision_for(decisions, "mysql-bin.000001").reason.find("starts later, in mysql-bin.000005") != std::string::npos);
}

TEST_CASE("binlog retention never deletes the newest archived binlog") {
  auto decisions = decide_binlog_retention(daily_binlogs(3), {}, {kNow, 0, 0});
  CHECK(removed(decisions) == std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000002"});
  CHECK(decision_for(decisions, "mysql-bin.000003").reason == "newest archived binlog");
}

TEST_CASE("binlog retention keeps every binlog while a base has no readable coordinates") {
  PitrBase unknown{"/inc/legacy-back.sql", kNow - 3 * kDay, std::nullopt};
  auto decisions = decide_binlog_retention(daily_binlogs(10), {base("shop", "mysql-bin.000009"), unknown}, {kNow, 1, 1});
  CHECK(removed(decisions).empty());
  CHECK(decision_for(decisions, "mysql-bin.000001").reason.find("legacy-back.sql records no binlog coordinates") !=
        std::string::npos);
}

TEST_CASE("binlog retention only trims the oldest end: nothing after a kept file is deleted") {
  auto binlogs = daily_binlogs(6);
  binlogs[2].mtime = kNow;  // file 3 looks new (a clock jump): files 4 and 5 after it stay too
  auto decisions = decide_binlog_retention(binlogs, {}, {kNow, 2, 1});
  CHECK(removed(decisions) == std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000002"});
  CHECK(decision_for(decisions, "mysql-bin.000004").reason.find("follows mysql-bin.000003") != std::string::npos);
}

TEST_CASE("binlog retention orders by number, not by name text, and ignores names that are not binlogs") {
  auto binlogs = daily_binlogs(2);
  binlogs.push_back({"mysql-bin.1000000", "/archive/mysql-bin.1000000", 1, kNow - 1});
  binlogs.push_back({"mysql-bin.index", "/archive/mysql-bin.index", 1, kNow - 30 * kDay});
  auto decisions = decide_binlog_retention(binlogs, {}, {kNow, 0, 1});
  CHECK(decisions.size() == 3);
  CHECK(decisions.back().binlog.name == "mysql-bin.1000000");
  CHECK(removed(decisions) == std::vector<std::string>{"mysql-bin.000001", "mysql-bin.000002"});
}

TEST_CASE("binlog retention keeps binlogs of another name prefix closed after the base's first binlog") {
  auto old_prefix = daily_binlogs(4, "mariadb-bin");  // closed 4..1 days ago
  auto current = daily_binlogs(3);                     // closed 3..1 days ago
  std::vector<ArchivedBinlog> all = old_prefix;
  all.insert(all.end(), current.begin(), current.end());
  // The base starts in mysql-bin.000001, closed 3 days ago: mariadb-bin files closed since then stay.
  auto decisions = decide_binlog_retention(all, {base("shop", "mysql-bin.000001")}, {kNow, 0, 1});
  CHECK(removed(decisions) == std::vector<std::string>{"mariadb-bin.000001"});
  CHECK(decision_for(decisions, "mariadb-bin.000002").reason.find("may be needed by PITR base shop-back.sql") !=
        std::string::npos);
}
