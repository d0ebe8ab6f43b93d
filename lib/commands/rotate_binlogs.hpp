#pragma once
// `rotate-binlogs [--no-flush] [--recheck] [--dry-run]`: FLUSH BINARY LOGS, then archive every
// closed binlog that is missing, torn or different in the archive folder, each copy verified
// before it gets its final name; then the archive's retention (retention.binlog_days). Exit 0
// only when every closed binlog is archived and verified and the archive has no hole.
#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct RotateBinlogsOptions {
  bool no_flush = false;  // archive what is closed now, without closing the active binlog
  bool recheck = false;   // compare every archived copy with its source again
  bool dry_run = false;
};

Report run_rotate_binlogs(Context& context, const RotateBinlogsOptions& options);

}  // namespace mysqlpitr::commands
