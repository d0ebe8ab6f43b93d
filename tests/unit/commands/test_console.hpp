#pragma once
// A console on string streams for command tests: no terminal unless asked for.
#include <sstream>
#include <string>

#include "ui/console.hpp"

namespace mysqlpitr::testing {

struct TestConsole {
  std::istringstream in;
  std::ostringstream out, err;
  ui::Console console;
  explicit TestConsole(bool yes = false, bool tty = false, const std::string& answer = "")
      : in(answer), console(ui::Terminal{&in, &out, &err, tty, tty}, options(yes)) {}
  static ui::ConsoleOptions options(bool yes) {
    ui::ConsoleOptions options;
    options.yes = yes;
    return options;
  }
};

}  // namespace mysqlpitr::testing
