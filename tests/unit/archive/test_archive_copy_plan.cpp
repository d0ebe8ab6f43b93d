#include <doctest/doctest.h>

#include <algorithm>

#include "archive/partial_copy_name.hpp"
#include "archive/copy_plan.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr::archive;

namespace {
mysqlpitr::storage::LevelEntry archived(const std::string& name, unsigned long long size, std::time_t mtime = 100,
                                        bool regular = true) {
  using Kind = mysqlpitr::storage::LevelEntry::Kind;
  return {name, regular ? Kind::object : Kind::link, size, mtime};
}

const CopyStep& step_for(const std::vector<CopyStep>& steps, const std::string& name) {
  auto found = std::find_if(steps.begin(), steps.end(), [&](const auto& s) { return s.name == name; });
  REQUIRE(found != steps.end());
  return *found;
}

struct Fixture {
  mysqlpitr::testing::TempDir dir;
  Manifest manifest = Manifest::load(dir.path());
};
}  // namespace

TEST_CASE("rotation copies closed binlogs missing from the archive and never the active one") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}, {"mysql-bin.000002", 600, 95}}, "mysql-bin.000003", {}, &f.manifest};
  auto steps = plan_copies(input);
  REQUIRE(steps.size() == 3);
  CHECK(step_for(steps, "mysql-bin.000001").action == CopyAction::copy);
  CHECK(step_for(steps, "mysql-bin.000002").action == CopyAction::copy);
  CHECK(step_for(steps, "mysql-bin.000003").action == CopyAction::skip_active);
}

TEST_CASE("rotation never copies the active binlog even when a racing listing calls it closed") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}, {"mysql-bin.000002", 600, 95}}, "mysql-bin.000002", {}, &f.manifest};
  auto steps = plan_copies(input);
  CHECK(std::count_if(steps.begin(), steps.end(), [](const auto& s) { return s.action == CopyAction::copy; }) == 1);
  CHECK(step_for(steps, "mysql-bin.000002").action == CopyAction::skip_active);
}

TEST_CASE("rotation sets aside, never overwrites, a shorter or larger file it did not verify, then copies") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}, {"mysql-bin.000002", 600, 95}, {"mysql-bin.000003", 600, 95}},
                      "mysql-bin.000004",
                      {archived("mysql-bin.000001", 200), archived("mysql-bin.000002", 700)}, &f.manifest};
  auto steps = plan_copies(input);
  CHECK(step_for(steps, "mysql-bin.000001").action == CopyAction::copy);
  CHECK(step_for(steps, "mysql-bin.000001").set_aside);
  CHECK(step_for(steps, "mysql-bin.000001").reason.find("torn or foreign copy in the archive (200 bytes") != std::string::npos);
  CHECK(step_for(steps, "mysql-bin.000002").action == CopyAction::copy);
  CHECK(step_for(steps, "mysql-bin.000002").set_aside);
  CHECK(step_for(steps, "mysql-bin.000002").reason.find("set aside") != std::string::npos);
  CHECK_FALSE(step_for(steps, "mysql-bin.000003").set_aside);  // nothing there to keep
}

TEST_CASE("rotation compares a same-size copy it never verified and keeps one verified earlier") {
  Fixture f;
  f.manifest.record("mysql-bin.000001", {500, 100, "abc", 1});
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}, {"mysql-bin.000002", 600, 95}}, "mysql-bin.000003",
                      {archived("mysql-bin.000001", 500, 100), archived("mysql-bin.000002", 600, 100)}, &f.manifest};
  auto steps = plan_copies(input);
  CHECK(step_for(steps, "mysql-bin.000001").action == CopyAction::keep);
  CHECK(step_for(steps, "mysql-bin.000002").action == CopyAction::compare);

  SUBCASE("a verified copy touched since its record is compared again") {
    input.archive[0].mtime = 101;
    CHECK(step_for(plan_copies(input), "mysql-bin.000001").action == CopyAction::compare);
  }
  SUBCASE("--recheck compares verified copies too") {
    input.recheck = true;
    CHECK(step_for(plan_copies(input), "mysql-bin.000001").action == CopyAction::compare);
  }
}

TEST_CASE("rotation removes temporary copies left by an interrupted run, and nothing else hidden") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}}, "mysql-bin.000002",
                      {archived(".mysql-bin.000001.partial-AbC123", 300), archived(".mysqlpitr.lock", 10),
                       archived(".notes.partial-AbC123", 10), archived("mysql-bin.index", 40)},
                      &f.manifest};
  auto steps = plan_copies(input);
  std::vector<std::string> removed;
  for (const auto& step : steps)
    if (step.action == CopyAction::remove_partial) removed.push_back(step.name);
  CHECK(removed == std::vector<std::string>{".mysql-bin.000001.partial-AbC123"});
  CHECK(step_for(steps, "mysql-bin.000001").action == CopyAction::copy);
}

TEST_CASE("rotation never overwrites a verified copy with another binlog of the same name (RESET MASTER)") {
  Fixture f;
  f.manifest.record("mysql-bin.000001", {5000, 100, "abc", 1});
  CopyPlanInput input{{{"mysql-bin.000001", 400, 90}}, "mysql-bin.000002", {archived("mysql-bin.000001", 5000, 100)},
                      &f.manifest};
  const auto& step = step_for(plan_copies(input), "mysql-bin.000001");
  CHECK(step.action == CopyAction::refuse);
  CHECK(step.reason.find("RESET MASTER") != std::string::npos);
}

TEST_CASE("rotation refuses to overwrite a symbolic link that has a binlog's name") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}}, "mysql-bin.000002",
                      {archived("mysql-bin.000001", 20, 1, false)}, &f.manifest};
  CHECK(step_for(plan_copies(input), "mysql-bin.000001").action == CopyAction::refuse);
}

TEST_CASE("temporary copies name the binlog they become; other temporary files name none") {
  CHECK(partial_copy_target(".mysql-bin.000042.partial-x1Y2z3") == std::optional<std::string>("mysql-bin.000042"));
  CHECK_FALSE(partial_copy_target(".mysqlpitr-binlogs.json.partial-x1Y2z3"));
}

TEST_CASE("an encrypted archived copy is judged by the plain size it holds, never set aside for its stored size") {
  Fixture f;
  VerifiedCopy encrypted{5200, 100, "stored", 1};
  encrypted.key_id = "0011223344556677";
  encrypted.plain_size = 5000;
  encrypted.plain_sha256 = "plain";
  f.manifest.record("mysql-bin.000001", encrypted);
  CopyPlanInput input{{{"mysql-bin.000001", 5000, 90}, {"mysql-bin.000002", 600, 95}}, "mysql-bin.000003",
                      {archived("mysql-bin.000001", 5200, 100), archived("mysql-bin.000002", 700, 100)}, &f.manifest};
  CHECK(step_for(plan_copies(input), "mysql-bin.000001").action == CopyAction::keep);

  SUBCASE("unrecorded: the header's plain size equal to the server's file means compare, not set aside") {
    input.plain_sizes = {{"mysql-bin.000002", 600}};
    const auto& step = step_for(plan_copies(input), "mysql-bin.000002");
    CHECK(step.action == CopyAction::compare);
    CHECK_FALSE(step.set_aside);
  }
  SUBCASE("unrecorded and its header unreadable: set aside by its stored size, then copied") {
    const auto& step = step_for(plan_copies(input), "mysql-bin.000002");
    CHECK(step.action == CopyAction::copy);
    CHECK(step.set_aside);
  }
  SUBCASE("a recorded encrypted copy of another binlog of the same name is refused") {
    input.closed[0].size = 4000;
    CHECK(step_for(plan_copies(input), "mysql-bin.000001").action == CopyAction::refuse);
  }
}

TEST_CASE("a temporary copy of the binlog a stream is closing (its .streaming there) is left to the stream") {
  Fixture f;
  CopyPlanInput input{{{"mysql-bin.000001", 500, 90}}, "mysql-bin.000003",
                      {archived(".mysql-bin.000002.partial-AbC123", 300), archived("mysql-bin.000002.streaming", 800),
                       archived(".mysql-bin.000001.partial-XyZ789", 300)},
                      &f.manifest};
  std::vector<std::string> removed;
  for (const auto& step : plan_copies(input))
    if (step.action == CopyAction::remove_partial) removed.push_back(step.name);
  CHECK(removed == std::vector<std::string>{".mysql-bin.000001.partial-XyZ789"});
}
