#pragma once
// What a killed run (kill -9, power loss) leaves behind: temporary files, or a MongoDB dump's
// partial folder, under names no backup pattern matches. They are never mistaken for backups,
// but they hold disk space, so the next run of the same kind removes them while it holds the
// kind's run lock (then no run of that kind can still be writing them).
#include <string>
#include <vector>

#include "catalog/naming.hpp"
#include "commands/context.hpp"

namespace mysqlpitr::commands {

// Removes the leftovers of `kind` in `folder` and returns their paths. The caller holds the kind's
// run lock. A leftover that cannot be removed is a warning, never a reason to stop the run.
std::vector<std::string> remove_unfinished_writes(Context& context, catalog::BackupKind kind,
                                                  const std::string& folder);

}  // namespace mysqlpitr::commands
