#include "commands/mongo_restore.hpp"

#include <filesystem>

#include "catalog/naming.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/mongo_common.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"
#include "mongo/restore.hpp"
#include "mongo/restore_plan.hpp"

namespace mysqlpitr::commands {
namespace {

namespace fs = std::filesystem;

struct ChosenBackup {
  fs::path folder;
  bool from_menu = false;
  std::optional<mongo::DumpFolder> bucket;  // a dump only in the bucket, read from there
};

ChosenBackup from_bucket(Context& context, const std::string& name, bool from_menu) {
  mongo::DumpFolder dump = bucket_mongo_dump_folder(context, name);
  fs::path root = dump.root;
  return {root, from_menu, std::move(dump)};
}

// A dump of mongo.backup_dir in mode both: a local copy that is not what the bucket's record of it
// lists (a file missing or cut short) is not restored; the bucket's copy is, saying so.
ChosenBackup local_or_bucket(Context& context, const fs::path& folder, bool from_menu) {
  std::string problem = local_copy_problem(context.settings(), folder);
  if (problem.empty()) return {folder, from_menu, std::nullopt};
  context.console().warning(fmt::format("the local copy is not what was backed up: {}; restoring the bucket's copy",
                                        problem));
  return from_bucket(context, folder.filename().string(), from_menu);
}

// BACKUP as given (a path, or a name inside mongo.backup_dir), else a menu of backup_* folders.
ChosenBackup select_backup(Context& context, const std::string& given) {
  if (!given.empty()) {
    const std::string& backup_dir = context.settings().mongo.backup_dir.value;
    const bool bare_name = given.find('/') == std::string::npos;
    // A bare name is a dump of mongo.backup_dir first, and there it must be a folder, not a link
    // (never followed inside a configured folder, as list and prune skip it).
    if (bare_name && !backup_dir.empty()) {
      std::string inside = io::join_path(backup_dir, given);
      if (auto entry = io::stat_entry(inside)) {
        if (entry->type == io::EntryType::directory) return local_or_bucket(context, inside, false);
        throw usage_error("BACKUP {}: {} is {} (never followed inside mongo.backup_dir): give the path of the dump "
                          "folder itself",
                          given, inside, entry->type == io::EntryType::symlink ? "a symbolic link" : "not a folder");
      }
    }
    // A path the operator gives (a link to a folder included).
    if (io::is_folder(given)) return local_or_bucket(context, given, false);
    if (bare_name && !bucket_mongo_dumps(context.settings(), given).empty()) return from_bucket(context, given, false);
    throw usage_error("BACKUP {}: no such folder (nor in mongo.backup_dir {})", given,
                      context.settings().mongo.backup_dir.value);
  }
  auto backups = mongo_backups(context.settings());
  add_bucket_only(context.settings(), backups);
  if (backups.empty()) {
    throw precondition_error("no backup_* folders in mongo.backup_dir {}", context.settings().mongo.backup_dir.value);
  }
  std::vector<std::string> items;
  for (const auto& entry : backups) {
    items.push_back(fmt::format("{}  {}  {}", entry.name, core::format_datetime(entry.time), core::human_size(entry.size)));
  }
  std::size_t chosen = context.console().choose("MongoDB backups, newest first:", items, "BACKUP");
  if (is_bucket_entry(backups[chosen])) return from_bucket(context, backups[chosen].name, true);
  return local_or_bucket(context, backups[chosen].path, true);
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

nlohmann::json restored_json(const mongo::RestoreResult& result, Report& report) {
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
  return restored;
}

}  // namespace

MongoRestorePlan plan_mongo_restore(Context& context, const MongoRestoreOptions& options) {
  ChosenBackup backup = select_backup(context, options.backup);
  mongo::DumpFolder dump = backup.bucket ? std::move(*backup.bucket)
                                         : mongo::scan_dump_folder(backup.folder, context.key_ring());
  mongo::RestoreSelection selection;
  selection.databases = select_databases(context, dump, backup.from_menu, options.databases);
  selection.drop = !options.no_drop;
  MongoRestorePlan plan{with_context("mongo-restore " + backup.folder.string(),
                                     [&] { return mongo::plan_restore(std::move(dump), selection); })};
  plan.dry_run = options.dry_run;
  plan.jobs = static_cast<int>(context.settings().backup.jobs.value);  // --jobs; 1-64: config::validate
  return plan;
}

std::string MongoRestorePlan::text() const { return plan_text(restore); }

nlohmann::json MongoRestorePlan::json() const {
  nlohmann::json ignored = nlohmann::json::array();
  for (const auto& note : restore.dump.ignored) ignored.push_back({{"path", note.path.string()}, {"reason", note.reason}});
  nlohmann::json json = {{"backup", restore.dump.root.string()}, {"mode", restore.total ? "total" : "partial"},
                         {"databases", restore.databases}, {"plan", plan_json(restore)}, {"ignored", ignored}};
  if (dry_run) json["dry_run"] = true;
  return json;
}

Report execute_mongo_restore(Context& context, const MongoRestorePlan& plan) {
  Report report;
  mongo::RestoreOptions restore;
  restore.jobs = plan.jobs;
  ui::Console& console = context.console();
  std::size_t done = 0;
  mongo::RestoreResult result = mongo::run_restore(
      mongo_connection(context.settings()), plan.restore, restore, [&](const mongo::RestoredCollection& collection) {
        ++done;
        if (!collection.error.empty()) {
          // A collection dropped before the failure is not as it was: the operator must hear it.
          if (collection.dropped)
            console.error(fmt::format("{}; {}.{} was dropped first and now holds only the {} documents inserted "
                                      "before the failure: restore it again (--db {})",
                                      collection.error, collection.database, collection.name, collection.documents,
                                      collection.database));
          else
            console.error(collection.error);
        }
        console.progress(fmt::format("mongo-restore: {}/{} collections ({}.{})", done, plan.restore.items.size(),
                                     collection.database, collection.name));
      });
  console.finish_progress();
  report.data["restored"] = restored_json(result, report);
  std::size_t failures = result.failures();
  if (failures > 0) report.code = failures == result.collections.size() ? ExitCode::failed : ExitCode::partial;
  console.summary(fmt::format("mongo-restore: {} collections restored, {} failed, {} documents inserted",
                              result.collections.size() - failures, failures, result.documents()));
  return report;
}

Command mongo_restore_command(const MongoRestoreOptions& options) {
  // The lock is taken before the folder is read and held to the end: a prune (or a backup's
  // leftover cleanup) must not delete the dump between the plan and the restore, which drops
  // collections first. A dry run holds nothing.
  return make_command<MongoRestorePlan>(
      "mongo-restore", true, options.dry_run,
      [options](Context& context) {
        std::string folder = context.settings().mongo.backup_dir.value;
        if (options.dry_run || !fs::is_directory(folder)) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{{folder, catalog::lock_scope(catalog::BackupKind::mongo), false, ""}};
      },
      [options](Context& context, const HeldLocks&) { return plan_mongo_restore(context, options); },
      execute_mongo_restore);
}

}  // namespace mysqlpitr::commands
