#pragma once
// `check`: preflight of everything the other commands need, each item OK/WARN/FAIL with its fix.
// Exit 5 when an item fails (the server is not set up for PITR, a folder is not writable...).
#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct CheckOptions {};

// A listing for the runner: the plan reads everything and is the whole answer.
Command check_command(const CheckOptions& options);

}  // namespace mysqlpitr::commands
