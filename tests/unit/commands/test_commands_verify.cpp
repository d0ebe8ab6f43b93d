#include <doctest/doctest.h>

#include "commands/runner.hpp"
#include "commands/verify.hpp"
#include "support/temp_dir.hpp"
#include "unit/commands/test_console.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::commands;

namespace {

const std::string kWhole = "CREATE TABLE t (a INT);\n-- Dump completed on 2026-01-01  0:00:00\n";

Report verify(testing::TestConsole& terminal, std::vector<std::string> paths) {
  Context context({}, {}, terminal.console);
  return run_command(context, verify_command({std::move(paths)}));
}

}  // namespace

TEST_CASE("verify through the runner: findings on stderr as found, the summary last on stdout, exit 0") {
  testing::TempDir dir;
  dir.write("shop-back_2026-01-01.sql", kWhole);
  testing::TestConsole terminal;
  Report report = verify(terminal, {dir.path()});
  CHECK(report.code == ExitCode::ok);
  CHECK(terminal.err.str().find("ok     " + dir.file("shop-back_2026-01-01.sql") + " (dump)") != std::string::npos);
  CHECK(terminal.out.str() == "verify: 1 ok, 0 failed\n");
  CHECK(report.data["checked"].size() == 1);
}

TEST_CASE("verify through the runner: a failed check is exit 1, even beside nothing to verify (exit 5 alone)") {
  testing::TempDir dir;
  dir.write("full/shop-back_2026-01-01.sql", "CREATE TABLE t (a INT);\n");
  dir.write("empty/notes.txt", "no backup here");
  testing::TestConsole terminal;
  Report report = verify(terminal, {dir.file("full"), dir.file("empty")});
  CHECK(report.code == ExitCode::failed);
  CHECK(report.errors.size() == 2);
  CHECK(terminal.err.str().find("FAILED " + dir.file("full/shop-back_2026-01-01.sql")) != std::string::npos);
  CHECK(terminal.out.str() == "verify: 0 ok, 1 failed, 1 with nothing to verify\n");

  testing::TestConsole alone;
  CHECK(verify(alone, {dir.file("empty")}).code == ExitCode::precondition);
}

TEST_CASE("verify through the runner: --quiet hides the summary of a clean run") {
  testing::TempDir dir;
  dir.write("shop-back_2026-01-01.sql", kWhole);
  testing::TestConsole terminal;
  ui::ConsoleOptions quiet;
  quiet.verbosity = ui::Verbosity::quiet;
  ui::Console console(ui::Terminal{&terminal.in, &terminal.out, &terminal.err, false, false}, quiet);
  Context context({}, {}, console);
  CHECK(run_command(context, verify_command({{dir.path()}})).code == ExitCode::ok);
  CHECK(terminal.out.str().empty());
  CHECK(terminal.err.str().empty());
}
