#include "commands/mongo_restore.hpp"

#include <filesystem>

#include "catalog/naming.hpp"
#include "commands/mongo_common.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/run_lock.hpp"
#include "mongo/restore.hpp"
#include "mongo/restore_plan.hpp"

namespace mysqlpitr::commands {
namespace {

namespace fs = std::filesystem;

struct ChosenBackup {
  fs::path folder;
  bool from_menu = false;
};

// BACKUP as given (a path, or a name inside mongo.backup_dir), else a menu of backup_* folders.
ChosenBackup select_backup(Context& context, const std::string& given) {
  if (!given.empty()) {
    if (fs::is_directory(given)) return {given, false};
    fs::path inside = fs::path(context.settings().mongo.backup_dir.value) / given;
    if (fs::is_directory(inside)) return {inside, false};
    throw usage_error("BACKUP {}: no such folder (nor in mongo.backup_dir {})", given,
                      context.settings().mongo.backup_dir.value);
  }
  auto backups = mongo_backups(context.settings());
  if (backups.empty()) {
    throw precondition_error("no backup_* folders in mongo.backup_dir {}", context.settings().mongo.backup_dir.value);
  }
  std::vector<std::string> items;
  for (const auto& entry : backups) {
    items.push_back(fmt::format("{}  {}  {}", entry.name, core::format_datetime(entry.time), core::human_size(entry.size)));
  }
  std::size_t chosen = context.console().choose("MongoDB backups, newest first:", items, "BACKUP");
  return {backups[chosen].path, true};
}

// The old page asked "total or partial" after the folder was picked; only offered in that case,
// so that scripts passing BACKUP keep the total restore CLI.md promises.
std::vector<std::string> select_databases(Context& context, const mongo::DumpFolder& dump, bool from_menu,
                                          const std::vector<std::string>& given) {
  if (!given.empty() || !from_menu || !context.console().interactive()) return given;
  std::vector<std::string> databases = mongo::restorable_databases(dump);
  std::vector<std::string> items = {"all databases (total restore): " + core::join(databases, ", ")};
  items.insert(items.end(), databases.begin(), databases.end());
  std::size_t chosen = context.console().choose("Databases to restore:", items, "--db");
  if (chosen == 0) return {};
  return {databases[chosen - 1]};
}

std::string plan_text(const mongo::RestorePlan& plan) {
  std::string text = fmt::format("mongo-restore ({}) from {}:\n", plan.total ? "total" : "partial", plan.dump.root.string());
  for (const auto& item : plan.items) {
    const auto& collection = plan.collection_of(item);
    text += fmt::format("  {}{}.{}: {} documents, {} indexes{}\n", item.drop ? "DROP and restore " : "restore ",
                        collection.database, collection.name, item.documents, item.indexes,
                        collection.is_view() ? " (view)" : "");
  }
  if (plan.items.empty()) text += "  nothing to restore\n";
  for (const auto& note : plan.dump.ignored) text += fmt::format("  ignored {}: {}\n", note.path.string(), note.reason);
  return text;
}

nlohmann::json plan_json(const mongo::RestorePlan& plan) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : plan.items) {
    const auto& collection = plan.collection_of(item);
    items.push_back({{"database", collection.database}, {"collection", collection.name},
                     {"documents", item.documents}, {"indexes", item.indexes}, {"drop", item.drop},
                     {"view", collection.is_view()}});
  }
  return items;
}

}  // namespace

Report run_mongo_restore(Context& context, const MongoRestoreOptions& options) {
  // Taken before the folder is read and held to the end: a prune (or a backup's leftover cleanup)
  // must not delete the dump between the plan and the restore, which drops collections first.
  const std::string lock_folder = context.settings().mongo.backup_dir.value;
  std::optional<io::RunLock> lock;
  if (!options.dry_run && fs::is_directory(lock_folder))
    lock = io::RunLock::acquire(lock_folder, catalog::lock_scope(catalog::BackupKind::mongo), "mongo-restore");
  ChosenBackup backup = select_backup(context, options.backup);
  mongo::DumpFolder dump = mongo::scan_dump_folder(backup.folder);
  mongo::RestoreSelection selection;
  selection.databases = select_databases(context, dump, backup.from_menu, options.databases);
  selection.drop = !options.no_drop;
  mongo::RestorePlan plan = with_context("mongo-restore " + backup.folder.string(),
                                         [&] { return mongo::plan_restore(std::move(dump), selection); });

  Report report;
  report.data["backup"] = plan.dump.root.string();
  report.data["mode"] = plan.total ? "total" : "partial";
  report.data["databases"] = plan.databases;
  report.data["plan"] = plan_json(plan);
  nlohmann::json ignored = nlohmann::json::array();
  for (const auto& note : plan.dump.ignored) ignored.push_back({{"path", note.path.string()}, {"reason", note.reason}});
  report.data["ignored"] = ignored;
  if (options.dry_run) {
    report.data["dry_run"] = true;
    context.console().result(plan_text(plan) + "dry run: nothing changed");
    return report;
  }
  if (plan.items.empty()) {
    context.console().summary(plan_text(plan));
    return report;
  }
  context.console().confirm(plan_text(plan));

  mongo::RestoreOptions restore;
  long long jobs = options.jobs.value_or(context.settings().backup.jobs.value);
  if (jobs < 1 || jobs > 64) throw usage_error("--jobs {} is out of range (1-64)", jobs);
  restore.jobs = static_cast<int>(jobs);
  ui::Console& console = context.console();
  std::size_t done = 0;
  mongo::RestoreResult result = mongo::run_restore(
      mongo_connection(context.settings()), plan, restore, [&](const mongo::RestoredCollection& collection) {
        ++done;
        if (!collection.error.empty()) console.error(collection.error);
        console.progress(fmt::format("mongo-restore: {}/{} collections ({}.{})", done, plan.items.size(),
                                     collection.database, collection.name));
      });
  console.finish_progress();

  nlohmann::json restored = nlohmann::json::array();
  for (const auto& c : result.collections) {
    nlohmann::json entry = {{"database", c.database}, {"collection", c.name}, {"documents", c.documents},
                            {"indexes", c.indexes_built}, {"dropped", c.dropped}, {"ok", c.error.empty()}};
    if (!c.error.empty()) {
      entry["error"] = c.error;
      report.errors.push_back(fmt::format("{}.{}: {}", c.database, c.name, c.error));
    }
    restored.push_back(entry);
  }
  report.data["restored"] = restored;
  std::size_t failures = result.failures();
  if (failures > 0) report.code = failures == result.collections.size() ? ExitCode::failed : ExitCode::partial;
  console.summary(fmt::format("mongo-restore: {} collections restored, {} failed, {} documents inserted",
                              result.collections.size() - failures, failures, result.documents()));
  return report;
}

}  // namespace mysqlpitr::commands
