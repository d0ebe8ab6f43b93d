#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "commands/prune.hpp"
#include "commands/runner.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"
#include "unit/commands/test_console.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::commands;

namespace {

// Two old MongoDB dump folders (not verified by prune, so no dump files are needed).
struct PruneFixture {
  testing::TempDir dir;
  testing::TestConsole terminal;
  ui::Console& console = terminal.console;
  std::string mongo = dir.file("mongo");
  std::optional<Context> context;

  explicit PruneFixture(std::map<std::string, std::string> command_line = {}) {
    dir.write("mongo/backup_2020-01-01_00-00/shop/a.bson", "");
    dir.write("mongo/backup_2020-02-01_00-00/shop/a.bson", "");
    GlobalOptions global;
    global.settings = std::move(command_line);
    global.config_path = dir.write("mysqlpitr.toml", "[mongo]\nbackup_dir = \"" + mongo + "\"\n");
    context.emplace(global, config::Environment{}, console);
  }
  bool exists(const std::string& name) const { return std::filesystem::exists(mongo + "/" + name); }
};

PruneOptions mongo_older_than(long long days) {
  PruneOptions options;
  options.older_than_days = days;
  options.what = "mongo";
  return options;
}

}  // namespace

TEST_CASE("prune plan: the old folder but not the newest, and nothing changed by planning") {
  PruneFixture fixture;
  auto plan = plan_prune(*fixture.context, mongo_older_than(7), HeldLocks("prune", false));
  CHECK(plan.has_work());
  std::string text = plan.text();
  CHECK(text.find("prune: 1 of 2 backups to delete") == 0);
  CHECK(text.find("delete " + fixture.mongo + "/backup_2020-01-01_00-00") != std::string::npos);
  auto json = plan.json();
  REQUIRE(json["kept"].size() == 1);
  CHECK(json["kept"][0]["path"] == fixture.mongo + "/backup_2020-02-01_00-00");
  CHECK(json["dry_run"] == false);
  CHECK_FALSE(json.contains("would_delete"));
  CHECK(fixture.exists("backup_2020-01-01_00-00"));
  CHECK(fixture.exists("backup_2020-02-01_00-00"));
}

TEST_CASE("prune plan: --keep-last 2 (a setting from the command line) keeps both, so nothing to delete") {
  PruneFixture fixture(std::map<std::string, std::string>{{"retention.keep_last", "2"}});
  CHECK(fixture.context->settings().retention.keep_last.origin == "command line");
  CHECK_FALSE(plan_prune(*fixture.context, mongo_older_than(7), HeldLocks("prune", false)).has_work());
}

TEST_CASE("prune plan: a dry run lists what it would delete") {
  PruneFixture fixture;
  auto options = mongo_older_than(7);
  options.dry_run = true;
  auto json = plan_prune(*fixture.context, options, HeldLocks("prune", false)).json();
  REQUIRE(json["would_delete"].size() == 1);
  CHECK(json["would_delete"][0]["path"] == fixture.mongo + "/backup_2020-01-01_00-00");
}

TEST_CASE("prune through the runner: --dry-run deletes nothing; without --yes nor terminal exit 3, nothing deleted") {
  PruneFixture fixture;
  auto options = mongo_older_than(7);
  options.dry_run = true;
  CHECK(run_command(*fixture.context, prune_command(options)).code == ExitCode::ok);
  CHECK(fixture.terminal.out.str().find("dry run: nothing deleted") != std::string::npos);
  options.dry_run = false;
  CHECK(testing::code_of([&] { run_command(*fixture.context, prune_command(options)); }) == ExitCode::not_confirmed);
  CHECK(fixture.exists("backup_2020-01-01_00-00"));
}

TEST_CASE("prune locks: the kind's run lock and its restores' read lock, on the configured folder") {
  PruneFixture fixture;
  auto locks = prune_locks(fixture.context->settings(), mongo_older_than(7));
  REQUIRE(locks.size() == 2);
  CHECK(locks[0].folder == fixture.mongo);
  CHECK(locks[1].busy_warns);
}

TEST_CASE("prune options the settings cannot serve are usage errors before any lock") {
  PruneFixture fixture;
  auto options = mongo_older_than(7);
  options.what = "binlogs";
  CHECK(testing::message_of([&] { prune_locks(fixture.context->settings(), options); })
            .find("paths.binlog_archive is not set") != std::string::npos);
  CHECK(testing::code_of([&] { prune_locks(fixture.context->settings(), mongo_older_than(-1)); }) == ExitCode::usage);
}
