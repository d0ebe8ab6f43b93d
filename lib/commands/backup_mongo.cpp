// `backup --kind mongo`: a mongodump --out folder backup_<date>/ in mongo.backup_dir, written by
// lib/mongo under a hidden name and renamed when complete.
#include <ctime>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/mongo_common.hpp"
#include "commands/unfinished_writes.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mongo/backup.hpp"
#include "mongo/names.hpp"

namespace mysqlpitr::commands {
namespace {

mongo::BackupOptions make_options(Context& context, const BackupOptions& options) {
  const config::Settings& settings = context.settings();
  if (!options.compression.empty() && options.compression != "gzip" && options.compression != "none") {
    throw usage_error("backup mongo: --compression {} is not possible; mongodump folders are plain or gzip",
                      options.compression);
  }
  mongo::BackupOptions request;
  request.backup_dir = settings.mongo.backup_dir.value;
  if (request.backup_dir.empty()) throw usage_error("mongo.backup_dir is not set: where should MongoDB backups go?");
  request.folder_name = catalog::mongo_folder_name(core::format_local(std::time(nullptr), settings.backup.date_format.value));
  request.databases = options.databases;
  request.gzip = options.gzip || options.compression == "gzip";
  request.gzip_level = static_cast<int>(settings.backup.level.value);
  if (request.gzip && (request.gzip_level < 1 || request.gzip_level > 9)) {
    throw usage_error("--level {} is out of range for gzip (1-9)", request.gzip_level);
  }
  request.jobs = static_cast<int>(settings.backup.jobs.value);  // 1-64: config::validate
  // Mode s3: every file streams straight into the bucket; backup_dir only holds the run's lock.
  request.destination = mongo_bucket_for_streaming(settings);
  request.encryption_key = context.writing_key();
  return request;
}

nlohmann::json collections_json(const mongo::BackupResult& result) {
  nlohmann::json collections = nlohmann::json::array();
  for (const auto& c : result.collections) {
    collections.push_back({{"database", c.database}, {"collection", c.name}, {"type", c.type},
                           {"documents", c.documents}, {"bson_bytes", c.bytes}, {"size", c.size}});
  }
  return collections;
}

}  // namespace

// The folder's name is fixed here; a dry run also lists the collections the dump would hold.
MongoBackupPlan plan_backup_mongo(Context& context, const BackupOptions& options) {
  MongoBackupPlan plan;
  plan.request = make_options(context, options);
  plan.dry_run = options.dry_run;
  if (!options.dry_run) return plan;
  mongo::Client client(mongo_connection(context.settings()));
  std::vector<std::string> databases = plan.request.databases;
  if (databases.empty()) {
    for (const auto& name : client.database_names()) {
      if (!mongo::is_system_database(name)) databases.push_back(name);
    }
  }
  for (const auto& database : databases)
    for (const auto& collection : client.collections(database))
      if (mongo::dumps_collection(database, collection.name))
        plan.collections.push_back({database, collection.name, collection.type});
  return plan;
}

std::string MongoBackupPlan::text() const {
  std::string folder = request.destination ? request.destination->describe(request.folder_name) + " (streamed "
                                                                                                "straight into the bucket)"
                                           : (request.backup_dir / request.folder_name).string();
  std::string text = fmt::format("backup mongo: would write {}{} ({} jobs):\n", folder, request.gzip ? " (gzip)" : "",
                                 request.jobs);
  for (const auto& c : collections)
    text += fmt::format("  {}.{}{}\n", c.database, c.name, c.type == "collection" ? "" : " (" + c.type + ")");
  return text;
}

nlohmann::json MongoBackupPlan::json() const {
  if (!dry_run) return nlohmann::json::object();
  nlohmann::json json = {{"dry_run", true}, {"kind", "mongo"}, {"backups", nlohmann::json::array()}};
  for (const auto& c : collections)
    json["would_write"].push_back({{"database", c.database}, {"collection", c.name}, {"type", c.type}});
  return json;
}

Report execute_backup_mongo(Context& context, const MongoBackupPlan& plan) {
  const mongo::BackupOptions& request = plan.request;
  std::vector<std::string> removed = remove_unfinished_writes(context, catalog::BackupKind::mongo, request.backup_dir.string());
  ui::Console& console = context.console();
  console.detail("MongoDB: " + mongo::describe(mongo_connection(context.settings())));
  const std::time_t started = std::time(nullptr);
  std::uint64_t documents = 0;
  mongo::BackupResult result = with_context("backup mongo", [&] {
    return mongo::run_backup(mongo_connection(context.settings()), request, [&](const mongo::BackedUpCollection& done) {
      documents += done.documents;
      console.progress(fmt::format("backup mongo: {}.{} ({} documents so far)", done.database, done.name, documents));
    });
  });
  console.finish_progress();
  const double seconds = static_cast<double>(std::time(nullptr) - started);

  Report report;
  report.data["kind"] = "mongo";
  report.data["folder"] = result.folder.string();
  report.data["removed_unfinished"] = removed;
  nlohmann::json collections = collections_json(result);
  unsigned long long size = 0;
  for (const auto& c : collections) size += c["size"].get<unsigned long long>();
  report.data["backups"] = nlohmann::json::array(
      {{{"kind", "mongo"}, {"database", ""}, {"path", result.folder.string()}, {"size", size},
        {"databases", result.databases}, {"collections", collections}, {"documents", result.documents()},
        {"gzip", request.gzip}}});
  console.summary(fmt::format("backup mongo: wrote {} ({} databases, {} collections, {} documents, {})",
                              result.folder.string(), result.databases.size(), result.collections.size(),
                              result.documents(), core::human_duration(seconds)));
  if (request.destination) record_streamed_mongo_dump(context, request, result, report);
  else store_mongo_dump_in_bucket(context, result, report);
  return report;
}

Command backup_mongo_command(const BackupOptions& options) {
  return make_command<MongoBackupPlan>(
      "backup mongo", false, options.dry_run,
      [options](Context& context) {
        std::string folder = make_options(context, options).backup_dir.string();
        if (options.dry_run) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{{folder, catalog::lock_scope(catalog::BackupKind::mongo)}};
      },
      [options](Context& context, HeldLocks&) { return plan_backup_mongo(context, options); }, execute_backup_mongo);
}

}  // namespace mysqlpitr::commands
