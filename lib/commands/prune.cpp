#include "commands/prune.hpp"

#include <ctime>
#include <set>

#include "archive/store.hpp"
#include "catalog/backup_expiry.hpp"
#include "catalog/naming.hpp"
#include "commands/binlog_expiry_plan.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/verify.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"

namespace mysqlpitr::commands {
namespace {

struct Target {
  catalog::BackupKind kind;
  std::string folder;
};

std::vector<Target> targets_for(const config::Settings& settings, const std::string& what) {
  std::vector<Target> targets;
  if (what == "historical" || what == "all") targets.push_back({catalog::BackupKind::historical, settings.paths.historical.value});
  if (what == "schema" || what == "all") targets.push_back({catalog::BackupKind::schema, settings.paths.schema.value});
  if (what == "mongo" || what == "all") targets.push_back({catalog::BackupKind::mongo, settings.mongo.backup_dir.value});
  if (targets.empty() && what != "binlogs")
    throw usage_error("--what: unknown kind '{}' (historical, schema, mongo, binlogs or all)", what);
  return targets;
}

std::string plan_text(const std::vector<catalog::RetentionDecision>& decisions, bool verbose) {
  std::string text;
  size_t count = 0;
  unsigned long long bytes = 0;
  for (const auto& decision : decisions) {
    if (!decision.remove) continue;
    ++count;
    bytes += decision.entry.size;
    text += fmt::format("  delete {}  ({}, {})\n", decision.entry.path, core::human_size(decision.entry.size),
                        decision.reason);
  }
  if (verbose)
    for (const auto& decision : decisions)
      if (!decision.remove) text += fmt::format("  keep   {}  ({})\n", decision.entry.path, decision.reason);
  return fmt::format("prune: {} of {} backups to delete, {} freed\n{}", count, decisions.size(),
                     core::human_size(bytes), text);
}

// A SQL dump counts as a database's newest only when it verifies (dump::retention_problem);
// MongoDB dump folders are counted as they are.
catalog::BackupCheck backup_check(ui::Console& console) {
  return [&console](const catalog::BackupEntry& entry) -> std::string {
    if (entry.kind != catalog::BackupKind::historical && entry.kind != catalog::BackupKind::schema) return {};
    console.progress("verifying " + entry.path);
    std::string problem = dump::retention_problem(entry.path);
    console.finish_progress();
    return problem;
  };
}

void report_broken(ui::Console& console, const std::vector<catalog::RetentionDecision>& decisions, Report& report) {
  report.data["broken"] = nlohmann::json::array();
  for (const auto& decision : decisions) {
    if (decision.problem.empty()) continue;
    report.data["broken"].push_back({{"path", decision.entry.path}, {"problem", decision.problem}});
    console.warning(fmt::format("broken backup, not counted as a backup to keep: {}: {}", decision.entry.path,
                                decision.problem));
  }
}

}  // namespace

Report run_prune(Context& context, const PruneOptions& options) {
  if (options.older_than_days < 0) throw usage_error("--older-than DAYS is required (a whole number of days)");
  auto& settings = context.settings();
  long long keep_last = options.keep_last.value_or(settings.retention.keep_last.value);
  if (keep_last < 0) throw usage_error("--keep-last must not be negative");
  auto targets = targets_for(settings, options.what);
  // Binlogs are pruned in the archive folder only; the server purges its own folder itself.
  const std::string& binlog_folder = settings.paths.binlog_archive.value;
  bool with_binlogs = (options.what == "binlogs" || options.what == "all") && !binlog_folder.empty();
  if (options.what == "binlogs" && binlog_folder.empty())
    throw usage_error("--what binlogs: paths.binlog_archive is not set; only archived copies are pruned (the server's own "
                      "binlogs expire by its expire_logs_days / binlog_expire_logs_seconds)");

  // The locks are taken before the inventory, so a backup finishing meanwhile cannot be missed or
  // half-seen: each kind's lock is the one its backup takes. The binlog archive's lock is the one
  // rotate-binlogs takes: a rotation never runs beside this.
  std::vector<std::pair<std::string, std::string>> lock_scopes;  // folder, scope
  for (const auto& target : targets) lock_scopes.emplace_back(target.folder, catalog::lock_scope(target.kind));
  if (with_binlogs) lock_scopes.emplace_back(binlog_folder, catalog::kBinlogArchiveLockScope);
  // Restores hold the read locks shared while they read (commands/restore_locks.hpp): a dump one
  // has verified, or a binlog it replays, is not deleted under it; this prune exits 5 instead.
  std::set<std::pair<std::string, std::string>> read_scopes;
  for (const auto& target : targets) read_scopes.emplace(target.folder, catalog::read_lock_scope(target.kind));
  if (with_binlogs) read_scopes.emplace(binlog_folder, catalog::kBinlogArchiveReadLockScope);
  lock_scopes.insert(lock_scopes.end(), read_scopes.begin(), read_scopes.end());
  std::vector<io::RunLock> locks;
  std::set<std::pair<std::string, std::string>> busy_scopes;  // dry run: a run of the kind holds the lock
  for (const auto& [folder, scope] : lock_scopes) {
    if (folder.empty() || !io::stat_entry(folder)) continue;
    if (!options.dry_run) {
      locks.push_back(io::RunLock::acquire(folder, scope, "prune"));
      continue;
    }
    try {
      // Only a probe: released at once, so a dry run never makes a starting backup exit 5.
      io::RunLock::acquire(folder, scope, "prune --dry-run");
    } catch (const Error& error) {
      busy_scopes.emplace(folder, scope);
      if (read_scopes.contains({folder, scope}))
        context.console().warning(fmt::format("{}: a restore is reading it, a real prune now would exit 5 ({})", folder,
                                              error.what()));
      else
        context.console().detail(fmt::format("{}: temporary files are not listed ({})", folder, error.what()));
    }
  }

  std::vector<catalog::BackupEntry> entries;
  std::vector<catalog::BackupEntry> unfinished;
  Report report;
  for (const auto& target : targets) {
    auto inventory = catalog::scan_folder(target.folder, target.kind, settings.backup.date_format.value);
    entries.insert(entries.end(), inventory.backups.begin(), inventory.backups.end());
    // While a run of the kind goes on, its temporary files are its work, not leftovers.
    if (!busy_scopes.contains({target.folder, catalog::lock_scope(target.kind)}))
      unfinished.insert(unfinished.end(), inventory.unfinished.begin(), inventory.unfinished.end());
    for (const auto& skipped : inventory.skipped) {
      context.console().detail(fmt::format("not considered: {} ({})", skipped.path, skipped.reason));
      report.data["skipped"].push_back({{"path", skipped.path}, {"reason", skipped.reason}});
    }
  }
  catalog::RetentionRule rule{std::time(nullptr), options.older_than_days, keep_last};
  auto decisions = catalog::decide_retention(entries, rule, backup_check(context.console()));
  report_broken(context.console(), decisions, report);
  // What killed runs left: deleted whatever the age, under the kind's lock taken above.
  for (auto& entry : unfinished) decisions.push_back({std::move(entry), true, "left by an interrupted run", ""});

  report.data["dry_run"] = options.dry_run;
  report.data["deleted"] = nlohmann::json::array();
  report.data["kept"] = nlohmann::json::array();
  bool any = false;
  for (const auto& decision : decisions) {
    any = any || decision.remove;
    if (!decision.remove)
      report.data["kept"].push_back({{"path", decision.entry.path}, {"reason", decision.reason}});
  }
  std::string plan = targets.empty() ? std::string() : plan_text(decisions, context.global().verbose);
  BinlogRetentionPlan binlogs;
  if (options.what == "all" && binlog_folder.empty())
    context.console().detail("binlogs: paths.binlog_archive is not set, so there are no archived binlogs to prune");
  if (with_binlogs) {
    binlogs = plan_binlog_retention(settings, options.older_than_days, keep_last, rule.now);
    any = any || binlogs.any_removal();
    plan += binlog_retention_text(binlogs);
    report.data["binlogs"] = binlog_retention_json(binlogs);
  }
  if (!any) {
    if (options.dry_run) context.console().result(plan + "nothing to delete");
    else context.console().summary(plan + "nothing to delete");
    return report;
  }
  if (options.dry_run) {
    context.console().result(plan + "dry run: nothing deleted");
    for (const auto& decision : decisions)
      if (decision.remove) report.data["would_delete"].push_back({{"path", decision.entry.path}, {"size", decision.entry.size}});
    for (const auto& decision : binlogs.decisions)
      if (decision.remove) report.data["would_delete"].push_back({{"path", decision.binlog.path}, {"size", decision.binlog.size}});
    return report;
  }
  context.console().confirm(plan);

  for (const auto& decision : decisions) {
    if (!decision.remove) continue;
    const auto& entry = decision.entry;
    try {
      catalog::remove_entry(entry);
      report.data["deleted"].push_back({{"path", entry.path}, {"size", entry.size}});
      context.console().info("deleted " + entry.path);
    } catch (const Error& error) {
      report.errors.push_back(error.what());
      context.console().error(error.what());
    }
  }
  if (with_binlogs) {
    auto outcome = archive::apply_binlog_retention(binlog_folder, binlogs.decisions);
    for (const auto& binlog : outcome.deleted) {
      report.data["deleted"].push_back({{"path", binlog.path}, {"size", binlog.size}});
      context.console().info("deleted " + binlog.path);
    }
    for (const auto& error : outcome.errors) {
      report.errors.push_back(error);
      context.console().error(error);
    }
  }
  if (!report.errors.empty()) report.code = report.data["deleted"].empty() ? ExitCode::failed : ExitCode::partial;
  return report;
}

}  // namespace mysqlpitr::commands
