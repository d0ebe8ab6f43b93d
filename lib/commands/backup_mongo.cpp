// `backup --kind mongo`: a mongodump --out folder backup_<date>/ in mongo.backup_dir, written by
// lib/mongo under a hidden name and renamed when complete.
#include <ctime>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/mongo_common.hpp"
#include "commands/unfinished_writes.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/run_lock.hpp"
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
  request.gzip_level = static_cast<int>(options.level.value_or(settings.backup.level.value));
  if (request.gzip && (request.gzip_level < 1 || request.gzip_level > 9)) {
    throw usage_error("--level {} is out of range for gzip (1-9)", request.gzip_level);
  }
  long long jobs = options.jobs.value_or(settings.backup.jobs.value);
  if (jobs < 1 || jobs > 64) throw usage_error("--jobs {} is out of range (1-64)", jobs);
  request.jobs = static_cast<int>(jobs);
  return request;
}

Report dry_run(Context& context, const mongo::BackupOptions& request) {
  mongo::Client client(mongo_connection(context.settings()));
  std::vector<std::string> databases = request.databases;
  if (databases.empty()) {
    for (const auto& name : client.database_names()) {
      if (!mongo::is_system_database(name)) databases.push_back(name);
    }
  }
  Report report;
  report.data["dry_run"] = true;
  report.data["kind"] = "mongo";
  report.data["backups"] = nlohmann::json::array();
  std::string folder = (request.backup_dir / request.folder_name).string();
  std::string text = fmt::format("backup mongo: would write {}{} ({} jobs):\n", folder, request.gzip ? " (gzip)" : "",
                                 request.jobs);
  for (const auto& database : databases) {
    for (const auto& collection : client.collections(database)) {
      if (!mongo::dumps_collection(database, collection.name)) continue;
      report.data["would_write"].push_back({{"database", database}, {"collection", collection.name}, {"type", collection.type}});
      text += fmt::format("  {}.{}{}\n", database, collection.name, collection.type == "collection" ? "" : " (" + collection.type + ")");
    }
  }
  context.console().result(text + "dry run: nothing written");
  return report;
}

}  // namespace

Report run_backup_mongo(Context& context, const BackupOptions& options) {
  mongo::BackupOptions request = make_options(context, options);
  if (options.dry_run) return dry_run(context, request);
  io::RunLock lock = io::RunLock::acquire(request.backup_dir.string(), catalog::lock_scope(catalog::BackupKind::mongo),
                                          "backup mongo");
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
  nlohmann::json collections = nlohmann::json::array();
  unsigned long long size = 0;
  for (const auto& c : result.collections) {
    unsigned long long file_size = c.data_file.empty() ? 0 : std::filesystem::file_size(c.data_file);
    size += file_size;
    collections.push_back({{"database", c.database}, {"collection", c.name}, {"type", c.type},
                           {"documents", c.documents}, {"bson_bytes", c.bytes}, {"size", file_size}});
  }
  report.data["backups"] = nlohmann::json::array(
      {{{"kind", "mongo"}, {"database", ""}, {"path", result.folder.string()}, {"size", size},
        {"databases", result.databases}, {"collections", collections}, {"documents", result.documents()},
        {"gzip", request.gzip}}});
  console.summary(fmt::format("backup mongo: wrote {} ({} databases, {} collections, {} documents, {})",
                              result.folder.string(), result.databases.size(), result.collections.size(),
                              result.documents(), core::human_duration(seconds)));
  return report;
}

}  // namespace mysqlpitr::commands
