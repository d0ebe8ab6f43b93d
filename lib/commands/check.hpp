#pragma once
// `check`: preflight of everything the other commands need, each item OK/WARN/FAIL with its fix.
// Exit 5 when an item fails (the server is not set up for PITR, a folder is not writable...).
#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct CheckOptions {};

Report run_check(Context& context, const CheckOptions& options);

}  // namespace mysqlpitr::commands
