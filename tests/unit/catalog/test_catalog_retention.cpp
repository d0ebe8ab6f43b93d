#include <doctest/doctest.h>

#include <algorithm>

#include "catalog/retention.hpp"

using namespace mysqlpitr::catalog;

namespace {
constexpr std::time_t kNow = 1'800'000'000;
constexpr std::time_t kDay = 86400;

BackupEntry dump(const std::string& database, int days_old, BackupKind kind = BackupKind::historical) {
  BackupEntry entry;
  entry.kind = kind;
  entry.database = database;
  entry.name = database + "-back_" + std::to_string(days_old) + ".sql.gz";
  entry.path = "/b/" + entry.name;
  entry.time = kNow - days_old * kDay;
  entry.time_from_name = true;
  return entry;
}

std::vector<std::string> removed(const std::vector<RetentionDecision>& decisions) {
  std::vector<std::string> names;
  for (const auto& decision : decisions)
    if (decision.remove) names.push_back(decision.entry.name);
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST_CASE("prune deletes old dumps but never the newest dump of a database") {
  std::vector<BackupEntry> entries = {dump("shop", 1), dump("shop", 10), dump("shop", 20),
                                      dump("crm", 30), dump("crm", 40)};
  auto decisions = decide_retention(entries, {kNow, 7, 1});
  // crm's newest is 30 days old but is its newest: kept.
  CHECK(removed(decisions) == std::vector<std::string>{"crm-back_40.sql.gz", "shop-back_10.sql.gz", "shop-back_20.sql.gz"});
  auto kept_crm = std::find_if(decisions.begin(), decisions.end(),
                               [](const auto& d) { return d.entry.name == "crm-back_30.sql.gz"; });
  CHECK(kept_crm->reason == "newest of crm");
}

TEST_CASE("keep_last N keeps the newest N of each database whatever their age") {
  std::vector<BackupEntry> entries = {dump("shop", 30), dump("shop", 31), dump("shop", 32), dump("shop", 33)};
  CHECK(removed(decide_retention(entries, {kNow, 7, 2})) ==
        std::vector<std::string>{"shop-back_32.sql.gz", "shop-back_33.sql.gz"});
  CHECK(removed(decide_retention(entries, {kNow, 7, 0})).size() == 4);
}

TEST_CASE("dumps younger than the limit are kept") {
  std::vector<BackupEntry> entries = {dump("shop", 1), dump("shop", 2), dump("shop", 6)};
  CHECK(removed(decide_retention(entries, {kNow, 7, 1})).empty());
}

TEST_CASE("kinds are separate groups: a schema dump does not count as a database's newest") {
  std::vector<BackupEntry> entries = {dump("", 1, BackupKind::schema), dump("", 20, BackupKind::schema),
                                      dump("shop", 20)};
  CHECK(removed(decide_retention(entries, {kNow, 7, 1})) == std::vector<std::string>{"-back_20.sql.gz"});
}
