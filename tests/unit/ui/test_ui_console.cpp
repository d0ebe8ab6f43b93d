#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "ui/console.hpp"

using namespace mysqlpitr;

namespace {
struct Fake {
  std::istringstream in;
  std::ostringstream out, err;
  ui::Terminal terminal(bool tty) { return ui::Terminal{&in, &out, &err, tty, tty}; }
};

ExitCode confirm_code(ui::Console& console) {
  try {
    console.confirm("will drop database shop");
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}
}  // namespace

TEST_CASE("only the exact answer SI confirms") {
  for (const char* answer : {"si\n", "SI \n", "yes\n", "\n", ""}) {
    Fake fake;
    fake.in.str(answer);
    ui::Console console(fake.terminal(true), {});
    CHECK(confirm_code(console) == ExitCode::not_confirmed);
  }
  Fake fake;
  fake.in.str("SI\n");
  ui::Console console(fake.terminal(true), {});
  CHECK(confirm_code(console) == ExitCode::ok);
  CHECK(fake.err.str().find("will drop database shop") != std::string::npos);
  CHECK(fake.err.str().find(ui::kConfirmPrompt) != std::string::npos);
}

TEST_CASE("without a terminal, confirmation is refused unless --yes") {
  Fake fake;
  fake.in.str("SI\n");
  ui::Console refusing(fake.terminal(false), {});
  CHECK(confirm_code(refusing) == ExitCode::not_confirmed);
  ui::ConsoleOptions yes;
  yes.yes = true;
  ui::Console agreeing(fake.terminal(false), yes);
  CHECK(confirm_code(agreeing) == ExitCode::ok);
}

TEST_CASE("menus need a terminal; without one the error names the option") {
  Fake fake;
  ui::Console console(fake.terminal(false), {});
  try {
    console.choose("Backups", {"a", "b"}, "--db");
    FAIL("expected a usage error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    CHECK(std::string(error.what()).find("--db") != std::string::npos);
  }
  Fake tty;
  tty.in.str("7\n2\n");
  ui::Console interactive(tty.terminal(true), {});
  CHECK(interactive.choose("Backups", {"a", "b"}, "--db") == 1);
}

TEST_CASE("with --json the human result goes to stderr and stdout stays one JSON document") {
  Fake fake;
  ui::ConsoleOptions options;
  options.json = true;
  ui::Console console(fake.terminal(false), options);
  console.result("a table");
  console.json_document(nlohmann::json::object());
  CHECK(fake.out.str() == "{}\n");
  CHECK(fake.err.str() == "a table\n");
}

TEST_CASE("the console tells whether its JSON document has begun, so that no second one follows") {
  ui::ConsoleOptions json;
  json.json = true;
  Fake printed;
  ui::Console whole(printed.terminal(false), json);
  CHECK_FALSE(whole.json_begun());
  whole.json_document({{"ok", true}});
  CHECK(whole.json_begun());
  Fake streamed;
  ui::Console stream(streamed.terminal(false), json);
  stream.json_stream();
  CHECK(stream.json_begun());  // begun, even before anything of it is written
}

TEST_CASE("with --yes no menu is shown, even on a terminal: the error names the option") {
  Fake fake;
  fake.in.str("1\n");
  ui::ConsoleOptions yes;
  yes.yes = true;
  ui::Console console(fake.terminal(true), yes);
  CHECK_FALSE(console.interactive());
  try {
    console.choose("Backups", {"a", "b"}, "--db NAME");
    FAIL("expected a usage error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    CHECK(std::string(error.what()).find("--db NAME") != std::string::npos);
  }
  CHECK(fake.err.str().find("1) a") == std::string::npos);
}

TEST_CASE("--quiet hides summaries and, with --yes, the plan; requested output stays") {
  Fake fake;
  ui::ConsoleOptions quiet;
  quiet.verbosity = ui::Verbosity::quiet;
  quiet.yes = true;
  ui::Console console(fake.terminal(false), quiet);
  console.summary("backup historical: 3 file(s) written");
  console.info("wrote x");
  CHECK(confirm_code(console) == ExitCode::ok);
  CHECK(fake.out.str().empty());
  CHECK(fake.err.str().empty());
  console.result("a listing");
  CHECK(fake.out.str() == "a listing\n");
  console.warning("look at this");
  CHECK(fake.err.str().find("look at this") != std::string::npos);

  Fake normal;
  ui::Console talking(normal.terminal(false), {});
  talking.summary("backup historical: 3 file(s) written");
  CHECK(normal.out.str() == "backup historical: 3 file(s) written\n");
}
