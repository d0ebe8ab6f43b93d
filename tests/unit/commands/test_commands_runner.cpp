#include <doctest/doctest.h>

#include <sstream>

#include "commands/runner.hpp"
#include "io/run_lock.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"
#include "unit/commands/test_console.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::commands;

namespace {

using FakeTerminal = testing::TestConsole;

struct FakePlan : Plan {
  bool work = true;
  std::string text() const override { return "fake: 1 thing to change\n"; }
  nlohmann::json json() const override { return {{"planned", true}}; }
  bool has_work() const override { return work; }
};

// What the runner did with the fake command, in order.
struct Trace {
  std::vector<std::string> steps;
};

Command fake_command(Trace& trace, const std::string& folder, bool destructive, bool dry_run, bool work = true) {
  return make_command<FakePlan>(
      "fake", destructive, dry_run,
      [&trace, folder](Context&) {
        trace.steps.push_back("locks");
        return std::vector<LockDeclaration>{{folder, "fake", false, "busy"}};
      },
      [&trace, folder, work](Context&, const HeldLocks& held) {
        // The lock is held while the plan reads: a second taker is refused.
        bool locked = false;
        try {
          io::RunLock::acquire(folder, "fake", "probe");
        } catch (const Error&) {
          locked = true;
        }
        trace.steps.push_back(locked ? "plan (locked)" : "plan (unlocked)");
        if (held.busy(folder, "fake")) trace.steps.push_back("busy");
        FakePlan plan;
        plan.work = work;
        return plan;
      },
      [&trace](Context&, const FakePlan&) {
        trace.steps.push_back("execute");
        Report report;
        report.data["executed"] = true;
        return report;
      });
}

}  // namespace

TEST_CASE("runner: locks are taken before the plan, then it executes with --yes") {
  testing::TempDir dir;
  FakeTerminal terminal(true);
  Context context({}, {}, terminal.console);
  Trace trace;
  Report report = run_command(context, fake_command(trace, dir.path(), true, false));
  CHECK(trace.steps == std::vector<std::string>{"locks", "plan (locked)", "execute"});
  CHECK(report.code == ExitCode::ok);
  CHECK(report.data["planned"] == true);
  CHECK(report.data["executed"] == true);
  CHECK(terminal.err.str().find("fake: 1 thing to change") != std::string::npos);
}

TEST_CASE("runner: --dry-run prints the plan on stdout, holds no lock and never executes") {
  testing::TempDir dir;
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  Trace trace;
  Report report = run_command(context, fake_command(trace, dir.path(), true, true));
  CHECK(trace.steps == std::vector<std::string>{"locks", "plan (unlocked)"});
  CHECK(report.code == ExitCode::ok);
  CHECK(terminal.out.str() == "fake: 1 thing to change\ndry run: nothing changed\n");
}

TEST_CASE("runner: a --dry-run's probe finding the lock held tells the plan") {
  testing::TempDir dir;
  auto other = io::RunLock::acquire(dir.path(), "fake", "another run");
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  Trace trace;
  run_command(context, fake_command(trace, dir.path(), true, true));
  CHECK(trace.steps == std::vector<std::string>{"locks", "plan (locked)", "busy"});
}

TEST_CASE("runner: a real run finding the lock held exits 5 before planning") {
  testing::TempDir dir;
  auto other = io::RunLock::acquire(dir.path(), "fake", "another run");
  FakeTerminal terminal(true);
  Context context({}, {}, terminal.console);
  Trace trace;
  CHECK_THROWS_AS(run_command(context, fake_command(trace, dir.path(), true, false)), Error);
  CHECK(trace.steps == std::vector<std::string>{"locks"});
}

TEST_CASE("runner: destructive without --yes and without a terminal is exit 3 and never executes") {
  testing::TempDir dir;
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  Trace trace;
  try {
    run_command(context, fake_command(trace, dir.path(), true, false));
    FAIL("no confirmation error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::not_confirmed);
  }
  CHECK(trace.steps == std::vector<std::string>{"locks", "plan (locked)"});
}

TEST_CASE("runner: a terminal answer other than SI is exit 3; SI executes") {
  testing::TempDir dir;
  for (const auto& [answer, executes] : {std::pair{"si\n", false}, std::pair{"SI\n", true}}) {
    FakeTerminal terminal(false, true, answer);
    Context context({}, {}, terminal.console);
    Trace trace;
    if (executes) {
      run_command(context, fake_command(trace, dir.path(), true, false));
    } else {
      CHECK_THROWS_AS(run_command(context, fake_command(trace, dir.path(), true, false)), Error);
    }
    CHECK((trace.steps.back() == "execute") == executes);
    CHECK(terminal.err.str().find(ui::kConfirmPrompt) != std::string::npos);
  }
}

TEST_CASE("runner: a command that is not destructive executes without asking") {
  testing::TempDir dir;
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  Trace trace;
  CHECK(run_command(context, fake_command(trace, dir.path(), false, false)).code == ExitCode::ok);
  CHECK(trace.steps.back() == "execute");
}

TEST_CASE("runner: a plan with nothing to do is printed and not executed nor confirmed") {
  testing::TempDir dir;
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  Trace trace;
  CHECK(run_command(context, fake_command(trace, dir.path(), true, false, false)).code == ExitCode::ok);
  CHECK(trace.steps == std::vector<std::string>{"locks", "plan (locked)"});
  CHECK(terminal.out.str() == "fake: 1 thing to change\nnothing to do\n");
}

namespace {

struct FindingsPlan : Plan {
  std::vector<std::string> found;
  std::string text() const override { return "findings\n"; }
  nlohmann::json json() const override { return {{"found", found}}; }
  std::vector<std::string> problems() const override { return found; }
};

}  // namespace

TEST_CASE("runner: a listing is printed whole; its problems make the run exit 5 with them as errors") {
  FakeTerminal terminal;
  Context context({}, {}, terminal.console);
  auto listing = [](std::vector<std::string> found) {
    return make_listing<FindingsPlan>("findings", [found](Context&) {
      FindingsPlan plan;
      plan.found = found;
      return plan;
    });
  };
  CHECK(run_command(context, listing({})).code == ExitCode::ok);
  Report report = run_command(context, listing({"bucket: unreachable"}));
  CHECK(report.code == ExitCode::precondition);
  CHECK(report.errors == std::vector<std::string>{"bucket: unreachable"});
  CHECK(terminal.out.str() == "findings\nfindings\n");
}
