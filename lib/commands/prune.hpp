#pragma once
// `prune --older-than DAYS [--what ...] [--keep-last N] [--dry-run]`: deletes old backups, never the
// newest N of a database, never a name that does not match its pattern, never through a link.
#include <optional>
#include <string>
#include <vector>

#include "catalog/backup_expiry.hpp"
#include "commands/binlog_expiry_plan.hpp"
#include "commands/bucket_prune.hpp"
#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct PruneOptions {
  long long older_than_days = -1;
  std::string what = "historical";  // historical, schema, mongo, binlogs, all
  bool dry_run = false;
};

// What a prune deletes and keeps, and why; read from the folders under the run's locks.
class PrunePlan : public Plan {
 public:
  bool dry_run = false;
  bool verbose = false;
  bool dumps = false;  // a dump folder was inventoried (else only binlogs)
  std::vector<catalog::RetentionDecision> decisions;
  std::optional<BinlogRetentionPlan> binlogs;
  std::optional<BinlogRetentionPlan> bucket_binlogs;  // modes s3/both (bucket_prune.hpp)
  std::optional<BucketLeftovers> leftovers;           // modes s3/both
  nlohmann::json skipped = nlohmann::json::array();
  nlohmann::json broken = nlohmann::json::array();

  std::string text() const override;
  nlohmann::json json() const override;
  bool has_work() const override;
  std::string idle_note() const override { return "nothing to delete"; }
  std::string dry_run_note() const override { return "dry run: nothing deleted"; }
};

// The run locks of a prune: each kind's backup lock and its restores' read lock, and the binlog
// archive's locks. Throws a usage error for options the settings cannot serve.
std::vector<LockDeclaration> prune_locks(const config::Settings& settings, const PruneOptions& options);
PrunePlan plan_prune(Context& context, const PruneOptions& options, const HeldLocks& locks);
Report execute_prune(Context& context, const PrunePlan& plan);
Command prune_command(const PruneOptions& options);

}  // namespace mysqlpitr::commands
