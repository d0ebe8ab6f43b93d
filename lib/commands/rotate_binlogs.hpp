#pragma once
// `rotate-binlogs [--no-flush] [--recheck] [--dry-run]`: FLUSH BINARY LOGS, then archive every
// closed binlog that is missing, torn or different in the archive folder, each copy verified
// before it gets its final name; then the archive's retention (retention.binlog_days). Exit 0
// only when every closed binlog is archived and verified and the archive has no hole.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/copy_plan.hpp"
#include "archive/server_binlogs.hpp"
#include "commands/binlog_expiry_plan.hpp"
#include "commands/command.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {

struct RotateBinlogsOptions {
  bool no_flush = false;  // archive what is closed now, without closing the active binlog
  bool recheck = false;   // compare every archived copy with its source again
  bool dry_run = false;
};

// The archive folder and the server whose binlogs go there, checked to be two different folders.
struct RotationTarget {
  std::string archive_folder;
  std::shared_ptr<mysql::Connection> connection;  // the session the rotation goes on with
  mysql::ServerFacts facts;
};
RotationTarget check_rotation_target(Context& context);

// The copies the archive needs now (before the flush execute() does first), on the connection the
// execution goes on with.
class RotationPlan : public Plan {
 public:
  RotateBinlogsOptions options;
  bool verbose = false;
  RotationTarget target;
  archive::ServerBinlogs server;
  std::vector<archive::CopyStep> steps;
  std::optional<BinlogRetentionPlan> retention;  // a dry run's: a real run plans it after copying

  std::string text() const override;
  nlohmann::json json() const override;
  std::string dry_run_note() const override;
};

RotationPlan plan_rotation(Context& context, const RotateBinlogsOptions& options, RotationTarget target);
Report execute_rotation(Context& context, const RotationPlan& plan);
Command rotate_binlogs_command(const RotateBinlogsOptions& options);

}  // namespace mysqlpitr::commands
