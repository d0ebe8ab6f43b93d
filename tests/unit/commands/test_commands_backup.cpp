#include <doctest/doctest.h>

#include <sstream>

#include "commands/backup.hpp"
#include "commands/runner.hpp"
#include "support/temp_dir.hpp"
#include "unit/commands/test_console.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::commands;

namespace {

// Databases named with --db: the plan needs no server.
struct BackupFixture {
  testing::TempDir dir;
  testing::TestConsole terminal;
  ui::Console& console = terminal.console;
  std::optional<Context> context;
  BackupOptions options;

  BackupFixture() {
    dir.write("dumps/.keep", "");
    GlobalOptions global;
    global.config_path = dir.write("mysqlpitr.toml", "[paths]\nhistorical = \"" + dir.file("dumps") + "\"\npitr_base = \"" +
                                                         dir.file("dumps") + "\"\n[backup]\ndate_format = \"%Y\"\n");
    context.emplace(global, config::Environment{}, console);
    options.databases = {"shop", "crm"};
  }
};

}  // namespace

TEST_CASE("backup plan: the file names printed are the executor's request, date fixed in the plan") {
  BackupFixture fixture;
  fixture.options.dry_run = true;
  auto plan = plan_dump(*fixture.context, fixture.options, dump::DumpKind::historical);
  std::string year = plan.request.date_text;
  REQUIRE(year.size() == 4);
  CHECK(plan.request.databases == std::vector<std::string>{"shop", "crm"});
  REQUIRE(plan.files.size() == 2);
  CHECK(plan.files[0].second == "shop-back_" + year + ".sql.gz");
  CHECK(plan.text().find("  crm-back_" + year + ".sql.gz\n") != std::string::npos);
  auto json = plan.json();
  CHECK(json["would_write"][1]["path"] == fixture.dir.file("dumps") + "/crm-back_" + year + ".sql.gz");
  CHECK(json["dry_run"] == true);
}

TEST_CASE("backup plan: a PITR base is plain <db>-back.sql whatever the compression") {
  BackupFixture fixture;
  fixture.options.compression = "zstd";
  auto plan = plan_dump(*fixture.context, fixture.options, dump::DumpKind::pitr_base);
  CHECK(plan.files[0].second == "shop-back.sql");
  CHECK(plan.json().empty());  // a real run's report says what was written, not what was planned
}

TEST_CASE("backup --dry-run through the runner writes nothing and ends with the dry run's line") {
  BackupFixture fixture;
  fixture.options.dry_run = true;
  CHECK(run_command(*fixture.context, backup_historical_command(fixture.options)).code == ExitCode::ok);
  CHECK(fixture.terminal.out.str().find("backup historical: would write into ") == 0);
  CHECK(fixture.terminal.out.str().find("dry run: nothing written\n") != std::string::npos);
  CHECK(testing::read_file(fixture.dir.file("dumps/.keep")).empty());
  CHECK(std::distance(std::filesystem::directory_iterator(fixture.dir.file("dumps")), {}) == 1);
}
