#pragma once
// `prune --older-than DAYS [--what ...] [--keep-last N] [--dry-run]`: deletes old backups, never the
// newest N of a database, never a name that does not match its pattern, never through a link.
#include <optional>
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct PruneOptions {
  long long older_than_days = -1;
  std::string what = "historical";  // historical, schema, mongo, binlogs, all
  std::optional<long long> keep_last;  // default: retention.keep_last
  bool dry_run = false;
};

Report run_prune(Context& context, const PruneOptions& options);

}  // namespace mysqlpitr::commands
