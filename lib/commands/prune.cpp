#include "commands/prune.hpp"

#include <ctime>
#include <set>

#include "archive/store.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mongo/verify.hpp"
#include "dump/verify.hpp"

namespace mysqlpitr::commands {
namespace {

struct Target {
  catalog::BackupKind kind;
  std::string folder;
};

// What a prune with these options covers; usage errors for what the settings cannot serve.
struct Scope {
  std::vector<Target> targets;
  std::string binlog_folder;  // empty: binlogs are not pruned
  long long keep_last = 0;
};

Scope prune_scope(const config::Settings& settings, const PruneOptions& options) {
  if (options.older_than_days < 0) throw usage_error("--older-than DAYS is required (a whole number of days)");
  Scope scope;
  scope.keep_last = settings.retention.keep_last.value;  // --keep-last; not negative: config::validate
  const std::string& what = options.what;
  if (what == "historical" || what == "all") scope.targets.push_back({catalog::BackupKind::historical, settings.paths.historical.value});
  if (what == "schema" || what == "all") scope.targets.push_back({catalog::BackupKind::schema, settings.paths.schema.value});
  if (what == "mongo" || what == "all") scope.targets.push_back({catalog::BackupKind::mongo, settings.mongo.backup_dir.value});
  if (scope.targets.empty() && what != "binlogs")
    throw usage_error("--what: unknown kind '{}' (historical, schema, mongo, binlogs or all)", what);
  // Binlogs are pruned in the archive folder only; the server purges its own folder itself.
  const std::string& binlog_folder = settings.paths.binlog_archive.value;
  if (what == "binlogs" && binlog_folder.empty())
    throw usage_error("--what binlogs: paths.binlog_archive is not set; only archived copies are pruned (the server's own "
                      "binlogs expire by its expire_logs_days / binlog_expire_logs_seconds)");
  if (what == "binlogs" || what == "all") scope.binlog_folder = binlog_folder;
  return scope;
}

std::string dumps_text(const std::vector<catalog::RetentionDecision>& decisions, bool verbose) {
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
// MongoDB dump folders are counted as they are, once a configured key reads them when encrypted.
catalog::BackupCheck backup_check(ui::Console& console, crypto::KeyRing* keys) {
  return [&console, keys](const catalog::BackupEntry& entry) -> std::string {
    if (entry.kind == catalog::BackupKind::mongo) return mongo::key_problem(entry.path, keys);
    if (entry.kind != catalog::BackupKind::historical && entry.kind != catalog::BackupKind::schema) return {};
    console.progress("verifying " + entry.path);
    std::string problem = dump::retention_problem(entry.path, keys);
    console.finish_progress();
    return problem;
  };
}

void note_broken(ui::Console& console, PrunePlan& plan) {
  for (const auto& decision : plan.decisions) {
    if (decision.problem.empty()) continue;
    plan.broken.push_back({{"path", decision.entry.path}, {"problem", decision.problem}});
    console.warning(fmt::format("broken backup, not counted as a backup to keep: {}: {}", decision.entry.path,
                                decision.problem));
  }
}

// The same retention in the bucket (modes s3/both), kept apart from the local copies: the dumps
// of each kind pruned, the archived binlogs, and the uploads killed runs left.
void plan_bucket(const config::Settings& settings, const PruneOptions& options, const Scope& scope,
                 const catalog::RetentionRule& rule, PrunePlan& plan, crypto::KeyRing* keys) {
  if (!uses_bucket(repository_mode(settings))) return;
  std::vector<std::string> folders;
  for (const auto& target : scope.targets) {
    folders.push_back(bucket_folder(target.kind));
    if (target.kind == catalog::BackupKind::mongo) continue;  // below, as before
    for (auto& decision : bucket_dump_retention(settings, target.kind, rule, keys)) plan.decisions.push_back(std::move(decision));
  }
  if (options.what == "mongo" || options.what == "all")
    for (auto& decision : bucket_mongo_retention(settings, rule, keys)) plan.decisions.push_back(std::move(decision));
  if (options.what == "binlogs" || options.what == "all") {
    folders.push_back(kBinlogBucketFolder);
    // No base is pruned, but the upload of one a killed run left behind is part of the PITR chain's
    // folders, and nothing else would ever abort it.
    folders.push_back(bucket_folder(catalog::BackupKind::pitr_base));
    plan.bucket_binlogs = plan_bucket_binlog_retention(settings, options.older_than_days, rule.keep_last, rule.now, keys);
  }
  plan.leftovers = plan_bucket_leftovers(settings, folders);
}

}  // namespace

std::vector<LockDeclaration> prune_locks(const config::Settings& settings, const PruneOptions& options) {
  // Taken before the inventory, so a backup finishing meanwhile cannot be missed or half-seen: each
  // kind's lock is the one its backup takes; the binlog archive's is the one rotate-binlogs takes.
  Scope scope = prune_scope(settings, options);
  const std::string unlisted = "temporary files are not listed";
  std::vector<LockDeclaration> locks;
  for (const auto& target : scope.targets) locks.push_back({target.folder, catalog::lock_scope(target.kind), false, unlisted});
  if (!scope.binlog_folder.empty())
    locks.push_back({scope.binlog_folder, catalog::kBinlogArchiveLockScope, false, unlisted});
  // Restores hold the read locks shared while they read (commands/restore_locks.hpp): a dump one
  // has verified, or a binlog it replays, is not deleted under it; this prune exits 5 instead.
  std::set<std::pair<std::string, std::string>> read_scopes;
  for (const auto& target : scope.targets) read_scopes.emplace(target.folder, catalog::read_lock_scope(target.kind));
  if (!scope.binlog_folder.empty()) read_scopes.emplace(scope.binlog_folder, catalog::kBinlogArchiveReadLockScope);
  for (const auto& [folder, read_scope] : read_scopes)
    locks.push_back({folder, read_scope, false, "a restore is reading it, a real prune now would exit 5", true});
  return locks;
}

PrunePlan plan_prune(Context& context, const PruneOptions& options, const HeldLocks& locks) {
  const auto& settings = context.settings();
  Scope scope = prune_scope(settings, options);
  PrunePlan plan;
  plan.dry_run = options.dry_run;
  plan.verbose = context.global().verbose;
  plan.dumps = !scope.targets.empty();
  std::vector<catalog::BackupEntry> entries, unfinished;
  for (const auto& target : scope.targets) {
    auto inventory = catalog::scan_folder(target.folder, target.kind, settings.backup.date_format.value);
    entries.insert(entries.end(), inventory.backups.begin(), inventory.backups.end());
    // While a run of the kind goes on, its temporary files are its work, not leftovers.
    if (!locks.busy(target.folder, catalog::lock_scope(target.kind)))
      unfinished.insert(unfinished.end(), inventory.unfinished.begin(), inventory.unfinished.end());
    for (const auto& skipped : inventory.skipped) {
      context.console().detail(fmt::format("not considered: {} ({})", skipped.path, skipped.reason));
      plan.skipped.push_back({{"path", skipped.path}, {"reason", skipped.reason}});
    }
  }
  catalog::RetentionRule rule{std::time(nullptr), options.older_than_days, scope.keep_last};
  plan.decisions = catalog::decide_retention(entries, rule, backup_check(context.console(), context.key_ring()));
  plan_bucket(settings, options, scope, rule, plan, context.key_ring());
  note_broken(context.console(), plan);
  if (plan.leftovers && !plan.leftovers->warning.empty()) context.console().warning(plan.leftovers->warning);
  // What killed runs left: deleted whatever the age, under the kind's lock.
  for (auto& entry : unfinished) plan.decisions.push_back({std::move(entry), true, "left by an interrupted run", ""});
  if (options.what == "all" && settings.paths.binlog_archive.value.empty())
    context.console().detail("binlogs: paths.binlog_archive is not set, so there are no archived binlogs to prune");
  if (!scope.binlog_folder.empty())
    plan.binlogs = plan_binlog_retention(settings, options.older_than_days, scope.keep_last, rule.now, context.key_ring());
  return plan;
}

bool PrunePlan::has_work() const {
  for (const auto& decision : decisions)
    if (decision.remove) return true;
  return (binlogs && binlogs->any_removal()) || (bucket_binlogs && bucket_binlogs->any_removal()) ||
         (leftovers && leftovers->any());
}

std::string PrunePlan::text() const {
  std::string text = dumps ? dumps_text(decisions, verbose) : std::string();
  if (binlogs) text += binlog_retention_text(*binlogs);
  if (bucket_binlogs) text += binlog_retention_text(*bucket_binlogs);
  if (leftovers) text += bucket_leftovers_text(*leftovers);
  return text;
}

nlohmann::json PrunePlan::json() const {
  nlohmann::json json = {{"dry_run", dry_run}, {"deleted", nlohmann::json::array()}, {"kept", nlohmann::json::array()}};
  if (!skipped.empty()) json["skipped"] = skipped;
  json["broken"] = broken;
  for (const auto& decision : decisions)
    if (!decision.remove) json["kept"].push_back({{"path", decision.entry.path}, {"reason", decision.reason}});
  if (binlogs) json["binlogs"] = binlog_retention_json(*binlogs);
  if (bucket_binlogs) json["bucket_binlogs"] = binlog_retention_json(*bucket_binlogs);
  if (leftovers) json["bucket_leftovers"] = bucket_leftovers_json(*leftovers);
  if (!dry_run || !has_work()) return json;
  for (const auto& decision : decisions)
    if (decision.remove) json["would_delete"].push_back({{"path", decision.entry.path}, {"size", decision.entry.size}});
  for (const auto* plan : {binlogs ? &*binlogs : nullptr, bucket_binlogs ? &*bucket_binlogs : nullptr})
    for (const auto& decision : plan ? plan->decisions : std::vector<archive::BinlogDecision>{})
      if (decision.remove) json["would_delete"].push_back({{"path", decision.binlog.path}, {"size", decision.binlog.size}});
  return json;
}

Report execute_prune(Context& context, const PrunePlan& plan) {
  Report report;
  report.data["deleted"] = nlohmann::json::array();
  auto failed = [&](const std::string& error) {
    report.errors.push_back(error);
    context.console().error(error);
  };
  for (const auto& decision : plan.decisions) {
    if (!decision.remove) continue;
    try {
      if (is_bucket_backup(decision.entry)) remove_bucket_backup(context.settings(), decision.entry);
      else catalog::remove_entry(decision.entry);
      report.data["deleted"].push_back({{"path", decision.entry.path}, {"size", decision.entry.size}});
      context.console().info("deleted " + decision.entry.path);
    } catch (const Error& error) {
      failed(error.what());
    }
  }
  if (plan.binlogs) {
    auto outcome = archive::apply_binlog_retention(plan.binlogs->folder, plan.binlogs->decisions);
    for (const auto& binlog : outcome.deleted) {
      report.data["deleted"].push_back({{"path", binlog.path}, {"size", binlog.size}});
      context.console().info("deleted " + binlog.path);
    }
    for (const auto& error : outcome.errors) failed(error);
  }
  if (plan.bucket_binlogs) remove_bucket_binlogs(context, *plan.bucket_binlogs, report);
  if (plan.leftovers) remove_bucket_leftovers(context, *plan.leftovers, report);
  if (!report.errors.empty()) report.code = report.data["deleted"].empty() ? ExitCode::failed : ExitCode::partial;
  return report;
}

Command prune_command(const PruneOptions& options) {
  return make_command<PrunePlan>(
      "prune", true, options.dry_run,
      [options](Context& context) { return prune_locks(context.settings(), options); },
      [options](Context& context, const HeldLocks& locks) { return plan_prune(context, options, locks); },
      execute_prune);
}

}  // namespace mysqlpitr::commands
