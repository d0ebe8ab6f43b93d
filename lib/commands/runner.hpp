#pragma once
// The one flow every planned command goes through:
//   lock (the declared run locks, before the plan reads what it will change)
//   -> plan -> print -> --dry-run stops here (exit 0)
//   -> confirm (destructive commands: SI / --yes; no terminal: exit 3) -> execute -> report.
#include "commands/command.hpp"

namespace mysqlpitr::commands {

// Takes (or, in a dry run, probes) each declared lock whose folder exists, into `held`.
void take_locks(Context& context, const std::vector<LockDeclaration>& locks, HeldLocks& held);

Report run_command(Context& context, const Command& command);

// Runs `command` inside another command's run (a drill's restore): its locks held until it ends,
// its refusal thrown as a precondition Error, a failed execution as a failure; no printing,
// confirming or job record, which the outer run does.
void run_nested(Context& context, const Command& command, const std::string& holder);

}  // namespace mysqlpitr::commands
