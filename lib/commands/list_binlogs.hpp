#pragma once
// `list binlogs`: the binlog sequence in the archive folder (paths.binlog_archive), or in the
// server's own folder when no archive is set or it holds none; first and last event times, server
// id, size, and the gaps. Reads event headers only, with a per-file cache.
#include "commands/context.hpp"

namespace mysqlpitr::commands {

Report run_list_binlogs(Context& context);

}  // namespace mysqlpitr::commands
