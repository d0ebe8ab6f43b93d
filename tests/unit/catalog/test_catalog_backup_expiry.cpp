#include <doctest/doctest.h>

#include <algorithm>

#include "catalog/backup_expiry.hpp"

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

namespace {
// A check that fails the named entries and records which entries it was asked about.
struct FakeCheck {
  std::vector<std::string> broken;
  std::vector<std::string> asked;
  BackupCheck function() {
    return [this](const BackupEntry& entry) -> std::string {
      asked.push_back(entry.name);
      return std::find(broken.begin(), broken.end(), entry.name) != broken.end() ? "empty gzip stream" : "";
    };
  }
};
}  // namespace

TEST_CASE("a broken newer dump does not count: the newest good one is kept, the broken one is reported") {
  std::vector<BackupEntry> entries = {dump("shop", 1), dump("shop", 10), dump("shop", 20)};
  FakeCheck check{{"shop-back_1.sql.gz"}, {}};
  auto decisions = decide_retention(entries, {kNow, 0, 1}, check.function());
  CHECK(removed(decisions) == std::vector<std::string>{"shop-back_1.sql.gz", "shop-back_20.sql.gz"});
  auto kept = std::find_if(decisions.begin(), decisions.end(), [](auto& d) { return !d.remove; });
  CHECK(kept->entry.name == "shop-back_10.sql.gz");
  CHECK(kept->reason == "newest of shop");
  auto broken = std::find_if(decisions.begin(), decisions.end(), [](auto& d) { return !d.problem.empty(); });
  CHECK(broken->entry.name == "shop-back_1.sql.gz");
  CHECK(broken->reason.find("broken: empty gzip stream") != std::string::npos);
  // The check reads files: it stops at the first good one.
  CHECK(check.asked == std::vector<std::string>{"shop-back_1.sql.gz", "shop-back_10.sql.gz"});
}

TEST_CASE("a broken dump younger than the limit stays, but the newest good one is kept too") {
  std::vector<BackupEntry> entries = {dump("shop", 1), dump("shop", 10), dump("shop", 20)};
  FakeCheck check{{"shop-back_1.sql.gz"}, {}};
  CHECK(removed(decide_retention(entries, {kNow, 7, 1}, check.function())) ==
        std::vector<std::string>{"shop-back_20.sql.gz"});
}

TEST_CASE("when nothing can be deleted, no file is read") {
  std::vector<BackupEntry> entries = {dump("shop", 1), dump("shop", 2)};
  FakeCheck check{{"shop-back_1.sql.gz"}, {}};
  CHECK(removed(decide_retention(entries, {kNow, 7, 1}, check.function())).empty());
  CHECK(check.asked.empty());
}

TEST_CASE("when no dump of a database verifies, its newest are kept anyway") {
  std::vector<BackupEntry> entries = {dump("shop", 10), dump("shop", 20), dump("crm", 30)};
  FakeCheck check{{"shop-back_10.sql.gz", "shop-back_20.sql.gz"}, {}};
  auto decisions = decide_retention(entries, {kNow, 7, 1}, check.function());
  CHECK(removed(decisions) == std::vector<std::string>{"shop-back_20.sql.gz"});
  auto kept = std::find_if(decisions.begin(), decisions.end(),
                           [](auto& d) { return d.entry.name == "shop-back_10.sql.gz"; });
  CHECK(kept->reason.find("no backup of shop passed verification") != std::string::npos);
  CHECK(kept->problem == "empty gzip stream");
}
