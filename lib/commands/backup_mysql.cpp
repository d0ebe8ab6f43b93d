// The MySQL/MariaDB kinds of `backup`: historical dumps, the structure-only dump, PITR bases.
#include <ctime>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/bucket_dumps.hpp"
#include "commands/bucket_pitr.hpp"
#include "commands/repository.hpp"
#include "commands/unfinished_writes.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/dumper.hpp"
#include "io/compressed_writer.hpp"
#include "io/files.hpp"
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
  if (!io::is_folder(setup.folder))
    throw precondition_error("{} = {} is not a folder", setup.folder_key, setup.folder);
  if (!io::directory_writable(setup.folder))
    throw precondition_error("{} = {} is not writable by this user", setup.folder_key, setup.folder);
  request.folder = setup.folder;
  request.date_text = core::format_local(std::time(nullptr), settings.backup.date_format.value);
  request.compression =
      io::parse_compression(options.compression.empty() ? settings.backup.compression.value : options.compression);
  request.level = static_cast<int>(settings.backup.level.value);
  if (setup.kind == dump::DumpKind::pitr_base) request.compression = io::Compression::none;  // legacy: plain .sql
  io::check_level(request.compression, request.level);
  request.jobs = static_cast<unsigned>(settings.backup.jobs.value);  // 1-64: config::validate
  request.tool_version = MYSQLPITR_VERSION;
  request.encryption_key = context.writing_key();
  return request;
}

nlohmann::json coordinates_json(const dump::Coordinates& c) {
  nlohmann::json json = {{"file", c.file}, {"position", c.position}};
  if (!c.gtid.empty()) json["gtid"] = c.gtid;
  return json;
}

// What one dump wrote, and what failed, as the report and the operator see it.
void report_dump(Context& context, dump::DumpKind kind, const dump::DumpReport& result, Report& report) {
  ui::Console& console = context.console();
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
}

}  // namespace

// The request with its date fixed and its databases listed: the dump writes exactly these files.
DumpPlan plan_dump(Context& context, const BackupOptions& options, dump::DumpKind kind) {
  KindSetup setup = setup_for(kind, context.settings());
  DumpPlan plan;
  plan.catalog_kind = setup.catalog_kind;
  plan.dry_run = options.dry_run;
  plan.request = make_request(context, options, setup);
  auto& request = plan.request;
  if (request.databases.empty()) {
    mysql::Connection connection = mysql::Connection::open(request.connection);
    request.databases = mysql::list_databases(connection, request.exclude);
    for (const std::string& name : mysql::all_databases(connection))
      if (mysql::is_own_database(name)) plan.skipped_own.push_back(name);
  }
  const bool encrypted = request.encryption_key != nullptr;
  auto name_of = [&](const std::string& database) {
    return catalog::dump_file_name(request.kind, database, request.date_text, request.compression, encrypted);
  };
  if (request.kind == dump::DumpKind::schema) plan.files.push_back({"", name_of("")});
  else
    for (const std::string& database : request.databases) plan.files.push_back({database, name_of(database)});
  plan.bucket_urls = bucket_plan_urls(context.settings(), plan);
  plan.keep_local = repository_mode(context.settings()) != RepositoryMode::s3 || plan.bucket_urls.empty();
  // Mode s3: each file streams straight into the bucket while its tables are dumped; the folder holds only
  // the spools of tables waiting for their turn, at most spool_limit in all.
  if (!plan.keep_local) {
    request.destination = open_bucket(context.settings(), bucket_folder(plan.catalog_kind));
    // Tables waiting for their turn in a streamed file spool at most two parts' worth.
    request.spool_limit = 2 * context.settings().s3.part_size.value.bytes;
  }
  return plan;
}

std::string DumpPlan::text() const {
  std::string text = fmt::format("backup {}: would write into {} ({}, {} jobs):\n", dump::kind_name(request.kind),
                                 request.folder, io::compression_name(request.compression), request.jobs);
  for (const auto& [database, name] : files) text += "  " + name + "\n";
  if (!skipped_own.empty()) text += fmt::format("  left out (mysqlpitr's own): {}\n", core::join(skipped_own, ", "));
  return text + bucket_plan_text(*this);
}

nlohmann::json DumpPlan::json() const {
  if (!dry_run) return nlohmann::json::object();
  nlohmann::json json = {{"dry_run", true}, {"kind", dump::kind_name(request.kind)}, {"backups", nlohmann::json::array()}};
  for (const auto& [database, name] : files)
    json["would_write"].push_back({{"database", database}, {"path", io::join_path(request.folder, name)}});
  for (size_t i = 0; i < bucket_urls.size(); ++i) {
    json["would_write"][i]["url"] = bucket_urls[i];
    json["would_write"][i]["local_kept"] = keep_local;
  }
  return json;
}

Report execute_dump(Context& context, const DumpPlan& plan) {
  const dump::DumpRequest& request = plan.request;
  dump::DumpKind kind = request.kind;
  std::vector<std::string> removed = remove_unfinished_writes(context, plan.catalog_kind, request.folder);
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
  for (const std::string& name : plan.skipped_own)
    console.info(fmt::format("left out database {}: mysqlpitr's own (a restore's staging, a drill's or a PITR's "
                             "progress; name it with --db to back it up)",
                             name));
  if (!plan.skipped_own.empty()) report.data["skipped_own_databases"] = plan.skipped_own;
  report.data["kind"] = dump::kind_name(kind);
  report.data["folder"] = request.folder;
  report.data["removed_unfinished"] = removed;
  report.data["server_version"] = result.server_version;
  report.data["seconds"] = result.seconds;
  report.data["lock_seconds"] = result.lock_seconds;
  report.data["non_transactional_tables"] = result.non_transactional;
  if (result.coordinates) report.data["coordinates"] = coordinates_json(*result.coordinates);
  report_dump(context, kind, result, report);
  if (kind == dump::DumpKind::pitr_base && !request.destination) upload_pitr_bases(context, request.folder, report);
  store_dumps_in_bucket(context, plan, report);
  if (!result.failures.empty()) report.code = result.files.empty() ? ExitCode::failed : ExitCode::partial;
  console.summary(fmt::format("backup {}: {} file(s) written, {} failure(s), {}", dump::kind_name(kind),
                              result.files.size(), result.failures.size(), core::human_duration(result.seconds)));
  return report;
}

Command dump_command(const BackupOptions& options, dump::DumpKind kind) {
  // The kind's lock on its folder, taken after the folder is checked; a dry run takes none.
  return make_command<DumpPlan>(
      std::string("backup ") + dump::kind_name(kind), false, options.dry_run,
      [options, kind](Context& context) {
        KindSetup setup = setup_for(kind, context.settings());
        std::string folder = make_request(context, options, setup).folder;
        if (options.dry_run) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{{folder, catalog::lock_scope(setup.catalog_kind)}};
      },
      [options, kind](Context& context, HeldLocks&) { return plan_dump(context, options, kind); }, execute_dump);
}

Command backup_historical_command(const BackupOptions& options) { return dump_command(options, dump::DumpKind::historical); }
Command backup_schema_command(const BackupOptions& options) { return dump_command(options, dump::DumpKind::schema); }
Command backup_pitr_base_command(const BackupOptions& options) { return dump_command(options, dump::DumpKind::pitr_base); }

}  // namespace mysqlpitr::commands
