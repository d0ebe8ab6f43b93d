#pragma once
// The whole program behind main(): builds the command tree, parses, runs the chosen command and is
// the one place where errors become a message and an exit code.
#include "config/load.hpp"
#include "ui/console.hpp"

namespace mysqlpitr::cli {

int run(int argc, char** argv, const config::Environment& environment, ui::Terminal terminal);

}  // namespace mysqlpitr::cli
