// The MySQL/MariaDB kinds of `backup`: historical dumps, the structure-only dump, PITR bases.
#include <ctime>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/unfinished_writes.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/dumper.hpp"
#include "io/compressed_writer.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {
namespace {

struct KindSetup {
  dump::DumpKind kind;
  catalog::BackupKind catalog_kind;  // the same kind as the catalog, locks and prune know it
  std::string folder_key;  // for messages: "paths.historical"
  std::string folder;
};

KindSetup setup_for(dump::DumpKind kind, const config::Settings& settings) {
  using catalog::BackupKind;
  switch (kind) {
    case dump::DumpKind::historical:
      return {kind, BackupKind::historical, "paths.historical", settings.paths.historical.value};
    case dump::DumpKind::schema: return {kind, BackupKind::schema, "paths.schema", settings.paths.schema.value};
    case dump::DumpKind::pitr_base:
      return {kind, BackupKind::pitr_base, "paths.pitr_base", settings.paths.pitr_base.value};
    case BackupKind::mongo: break;
  }
  throw failure("{} is not a MySQL dump kind", catalog::kind_name(kind));
}

dump::DumpRequest make_request(Context& context, const BackupOptions& options, const KindSetup& setup) {
  const config::Settings& settings = context.settings();
  dump::DumpRequest request;
  request.kind = setup.kind;
  request.connection = mysql::options_from_settings(settings);
  request.databases = options.databases;
  request.exclude = settings.mysql.exclude.value;
  if (setup.folder.empty()) throw usage_error("{} is not set: where should the {} dumps go?", setup.folder_key,
                                              dump::kind_name(setup.kind));
  auto folder = io::stat_entry(setup.folder);
  if (!folder || folder->type != io::EntryType::directory)
    throw precondition_error("{} = {} is not a folder", setup.folder_key, setup.folder);
  if (!io::directory_writable(setup.folder))
    throw precondition_error("{} = {} is not writable by this user", setup.folder_key, setup.folder);
  request.folder = setup.folder;
  request.date_text = core::format_local(std::time(nullptr), settings.backup.date_format.value);
  request.compression =
      io::parse_compression(options.compression.empty() ? settings.backup.compression.value : options.compression);
  request.level = static_cast<int>(options.level.value_or(settings.backup.level.value));
  if (setup.kind == dump::DumpKind::pitr_base) request.compression = io::Compression::none;  // legacy: plain .sql
  io::check_level(request.compression, request.level);
  long long jobs = options.jobs.value_or(settings.backup.jobs.value);
  if (jobs < 1 || jobs > 64) throw usage_error("--jobs {} is out of range (1-64)", jobs);
  request.jobs = static_cast<unsigned>(jobs);
  request.tool_version = MYSQLPITR_VERSION;
  return request;
}

nlohmann::json coordinates_json(const dump::Coordinates& c) {
  nlohmann::json json = {{"file", c.file}, {"position", c.position}};
  if (!c.gtid.empty()) json["gtid"] = c.gtid;
  return json;
}

Report dry_run(Context& context, const dump::DumpRequest& request) {
  mysql::Connection connection = mysql::Connection::open(request.connection);
  std::vector<std::string> databases =
      request.databases.empty() ? mysql::list_databases(connection, request.exclude) : request.databases;
  Report report;
  report.data["dry_run"] = true;
  report.data["kind"] = dump::kind_name(request.kind);
  report.data["backups"] = nlohmann::json::array();
  std::string text = fmt::format("backup {}: would write into {} ({}, {} jobs):\n", dump::kind_name(request.kind),
                                 request.folder, io::compression_name(request.compression), request.jobs);
  auto planned = [&](const std::string& database, const std::string& name) {
    report.data["would_write"].push_back(
        {{"database", database}, {"path", io::join_path(request.folder, name)}});
    text += "  " + name + "\n";
  };
  if (request.kind == dump::DumpKind::schema)
    planned("", catalog::dump_file_name(request.kind, "", request.date_text, request.compression));
  else
    for (const std::string& database : databases)
      planned(database, catalog::dump_file_name(request.kind, database, request.date_text, request.compression));
  context.console().result(text + "dry run: nothing written");
  return report;
}

Report run_kind(Context& context, const BackupOptions& options, dump::DumpKind kind) {
  KindSetup setup = setup_for(kind, context.settings());
  dump::DumpRequest request = make_request(context, options, setup);
  if (options.dry_run) return dry_run(context, request);

  io::RunLock lock = io::RunLock::acquire(request.folder, catalog::lock_scope(setup.catalog_kind),
                                          std::string("backup ") + dump::kind_name(kind));
  std::vector<std::string> removed = remove_unfinished_writes(context, setup.catalog_kind, request.folder);
  ui::Console& console = context.console();
  dump::ProgressCallback progress = [&](const dump::DumpProgress& p) {
    double rate = p.seconds > 0 ? static_cast<double>(p.sql_bytes) / p.seconds : 0;
    console.progress(fmt::format("backup {}: {}/{} tables, {} rows, {} of SQL ({}/s), {}", dump::kind_name(kind),
                                 p.tables_done, p.tables_total, p.rows, core::human_size(p.sql_bytes),
                                 core::human_size(static_cast<unsigned long long>(rate)),
                                 core::human_duration(p.seconds)));
  };
  dump::DumpReport result = with_context(std::string("backup ") + dump::kind_name(kind),
                                         [&] { return dump::run_dump(request, progress); });
  console.finish_progress();

  Report report;
  report.data["kind"] = dump::kind_name(kind);
  report.data["folder"] = request.folder;
  report.data["removed_unfinished"] = removed;
  report.data["server_version"] = result.server_version;
  report.data["seconds"] = result.seconds;
  report.data["lock_seconds"] = result.lock_seconds;
  report.data["non_transactional_tables"] = result.non_transactional;
  if (result.coordinates) report.data["coordinates"] = coordinates_json(*result.coordinates);
  report.data["backups"] = nlohmann::json::array();
  for (const dump::DumpedFile& file : result.files) {
    nlohmann::json entry = {{"kind", dump::kind_name(kind)}, {"database", file.database}, {"path", file.path},
                            {"size", file.size},           {"sql_bytes", file.sql_bytes}, {"sha256", file.sha256},
                            {"tables", file.tables},        {"rows", file.rows},          {"seconds", file.seconds}};
    if (result.coordinates) entry["coordinates"] = coordinates_json(*result.coordinates);
    report.data["backups"].push_back(entry);
    console.info(fmt::format("wrote {} ({}, {} tables, {} rows, {})", file.path, core::human_size(file.size),
                             file.tables, file.rows, core::human_duration(file.seconds)));
  }
  if (!result.non_transactional.empty())
    console.info(fmt::format("{} non-transactional table(s) read under the global read lock ({} held {}): {}",
                             result.non_transactional.size(), "lock", core::human_duration(result.lock_seconds),
                             core::join(result.non_transactional, ", ")));
  if (result.coordinates && kind == dump::DumpKind::pitr_base)
    console.info(fmt::format("binlog coordinates: {}:{}{}", result.coordinates->file, result.coordinates->position,
                             result.coordinates->gtid.empty() ? "" : " (GTID " + result.coordinates->gtid + ")"));
  report.data["failures"] = nlohmann::json::array();
  for (const dump::DumpFailure& failure : result.failures) {
    std::string message = failure.database.empty() ? failure.message
                                                   : fmt::format("database {}: {}", failure.database, failure.message);
    report.errors.push_back(message);
    report.data["failures"].push_back({{"database", failure.database}, {"message", failure.message}});
    console.error("backup " + std::string(dump::kind_name(kind)) + ": " + message);
  }
  if (!result.failures.empty()) report.code = result.files.empty() ? ExitCode::failed : ExitCode::partial;
  console.summary(fmt::format("backup {}: {} file(s) written, {} failure(s), {}", dump::kind_name(kind),
                              result.files.size(), result.failures.size(), core::human_duration(result.seconds)));
  return report;
}

}  // namespace

Report run_backup_historical(Context& context, const BackupOptions& options) {
  return run_kind(context, options, dump::DumpKind::historical);
}
Report run_backup_schema(Context& context, const BackupOptions& options) {
  return run_kind(context, options, dump::DumpKind::schema);
}
Report run_backup_pitr_base(Context& context, const BackupOptions& options) {
  return run_kind(context, options, dump::DumpKind::pitr_base);
}

}  // namespace mysqlpitr::commands
