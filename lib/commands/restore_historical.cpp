#include "commands/restore_historical.hpp"

#include <algorithm>
#include <chrono>

#include "catalog/inventory.hpp"
#include "commands/bucket_dumps.hpp"
#include "commands/dump_database.hpp"
#include "commands/restore_locks.hpp"
#include "commands/runner.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/file_check.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"
#include "sqlload/inspect.hpp"
#include "sqlload/loader.hpp"

namespace mysqlpitr::commands {
namespace {

// The runbook of a historical restore, one function per step.

StoredDump select_dump(Context& context, const RestoreHistoricalOptions& options) {
  if (auto object = bucket_dump_from_url(context.settings(), options.file, context.key_ring())) return std::move(*object);
  if (!options.file.empty()) return local_dump(options.file, context.key_ring());
  if (!options.date.empty() && options.database.empty())
    throw usage_error("--date needs --db NAME (the database whose dump of that date to restore)");
  if (!core::possible_date_prefix(options.date))
    throw usage_error("--date {}: no such date (expected the date of a dump's name, e.g. 2026-11-23)", options.date);
  const auto& settings = context.settings();
  auto inventory = catalog::scan_folder(settings.paths.historical.value, catalog::BackupKind::historical,
                                        settings.backup.date_format.value);
  catalog::sort_newest_first(inventory.backups);
  std::vector<catalog::BackupEntry> candidates;
  for (auto& entry : inventory.backups) {
    if (!options.database.empty() && entry.database != options.database) continue;
    if (!options.date.empty() && !entry.date_text.starts_with(options.date)) continue;
    candidates.push_back(entry);
  }
  if (!options.database.empty() && candidates.empty()) {
    // Modes s3/both: a dump only the bucket holds (the local one first when there is one).
    if (auto object = newest_bucket_dump(settings, options.database, options.date, context.key_ring()))
      return std::move(*object);
  }
  if (!options.database.empty()) {
    if (candidates.empty())
      throw usage_error("no historical dump of database '{}'{} in {}", options.database,
                        options.date.empty() ? "" : " dated " + options.date, settings.paths.historical.value);
    return local_dump(candidates.front().path, context.key_ring());  // newest first
  }
  if (candidates.empty()) throw usage_error("no historical dumps in {}", settings.paths.historical.value);
  std::vector<std::string> items;
  for (const auto& entry : candidates)
    items.push_back(fmt::format("{}  {}  {}  {}", entry.database, core::format_datetime(entry.time),
                                core::human_size(entry.size), entry.name));
  size_t chosen = context.console().choose("Historical dumps, newest first:", items, "FILE or --db NAME");
  return local_dump(candidates.at(chosen).path, context.key_ring());
}

// The dump read whole, as it streams in, hashed (the load must read the same bytes), and compared
// with its record when it has one (the folder manifest's entry, or the object's bucket record).
sqlload::DumpInspection verify_dump(Context& context, const StoredDump& stored) {
  auto& console = context.console();
  auto inspection = sqlload::inspect_dump(
      stored.source, stored.size,
      [&](const sqlload::LoadProgress& p) {
        if (console.progress_enabled())
          console.progress(fmt::format("verifying {}: {}%", stored.url, stored.size ? p.file_bytes * 100 / stored.size : 0));
      },
      true);
  console.finish_progress();
  // Whitespace and comments alone restore nothing either.
  dump::require_content(stored.url, inspection.file_size, inspection.statements ? inspection.sql_bytes : 0);
  require_record_match(stored, {inspection.file_size, inspection.sha256, {}});
  return inspection;
}

// The database the dump restores. When the operator named one (--db, or the file's own legacy name)
// the dump's content must be that database, checked here, before the plan is shown and anything
// dropped; otherwise the one the dump creates or selects.
std::string source_database(Context& context, const sqlload::DumpInspection& inspection,
                            const RestoreHistoricalOptions& options, const std::string& path) {
  std::string named = options.database;
  if (named.empty()) {
    auto parsed = catalog::parse_historical_name(io::base_name(path), context.settings().backup.date_format.value);
    if (parsed) named = parsed->database;
  }
  auto databases = inspection.databases();
  if (databases.size() > 1 && !options.into.empty())
    throw usage_error("{} holds several databases ({}): --into needs a dump of one database", path,
                      core::join(databases, ", "));
  if (!named.empty()) {
    require_dump_of(inspection, named);
    return named;
  }
  if (!databases.empty()) return databases.front();
  throw usage_error("{} names no database (no CREATE DATABASE or USE): pass --db NAME or --into NAME", path);
}

using mysql::database_exists;

std::string table_count(mysql::Connection& connection, const std::string& name) {
  return connection
      .scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + connection.quote(name))
      .value_or("0");
}

// A structure-only dump (back-no-data_*, mysqldump --no-data) restores every table empty: the
// plan says so before anything is dropped, since the name alone does not warn everyone.
bool schema_only(const sqlload::DumpInspection& info) { return info.tables > 0 && info.data_statements == 0; }

// The database the options or the dump's name say it restores, known before the dump is read
// (empty when only its content can tell).
std::string named_target(Context& context, const RestoreHistoricalOptions& options, const std::string& path) {
  if (!options.into.empty()) return options.into;
  if (!options.database.empty()) return options.database;
  auto parsed = catalog::parse_historical_name(path.substr(path.find_last_of('/') + 1),
                                               context.settings().backup.date_format.value);
  return parsed ? parsed->database : std::string();
}

// Every database the load drops, creates or writes into (with --into, the source's are the target's).
std::vector<std::string> touched_databases(const HistoricalPlan& plan) {
  std::vector<std::string> names = {plan.target};
  auto add = [&](const std::vector<std::string>& list) {
    for (const auto& name : list) names.push_back(plan.renamed && name == plan.source ? plan.target : name);
  };
  add(plan.inspection.databases());
  add(plan.inspection.dropped);
  return names;
}

HistoricalPlan make_plan(Context& context, const RestoreHistoricalOptions& options, mysql::Connection& connection,
                         HeldLocks& locks) {
  HistoricalPlan plan;
  plan.dump = std::make_shared<const StoredDump>(select_dump(context, options));
  plan.path = plan.dump->url;
  take_locks(context, {database_lock(named_target(context, options, plan.path))}, locks);  // before the long verification
  plan.inspection = verify_dump(context, *plan.dump);
  plan.source = source_database(context, plan.inspection, options, plan.path);
  plan.renamed = !options.into.empty() && options.into != plan.source;
  plan.target = plan.renamed ? options.into : plan.source;
  std::vector<LockDeclaration> touched;
  for (const auto& name : touched_databases(plan)) touched.push_back(database_lock(name));
  take_locks(context, touched, locks);
  plan.target_exists = database_exists(connection, plan.target);
  if (plan.renamed && plan.target_exists && !options.replace)
    throw precondition_error("database '{}' exists: pass --replace to drop it and restore {} over it", plan.target,
                             plan.path);
  const auto& info = plan.inspection;
  plan.dump_creates_target = std::find(info.created.begin(), info.created.end(), plan.source) != info.created.end();
  for (const auto& name : info.dropped) {
    std::string dropped = (plan.renamed && name == plan.source) ? plan.target : name;
    if (database_exists(connection, dropped)) plan.dropped.push_back(dropped);
  }
  bool dump_drops_target = std::find(info.dropped.begin(), info.dropped.end(), plan.source) != info.dropped.end();
  if (plan.renamed && plan.target_exists && options.replace && !dump_drops_target) plan.dropped.push_back(plan.target);
  for (const auto& name : plan.dropped) plan.dropped_tables.push_back(table_count(connection, name));
  plan.jobs = static_cast<unsigned>(context.settings().backup.jobs.value);  // --jobs; 1-64: config::validate
  plan.replace = options.replace;
  plan.skip_binlog = options.skip_binlog;
  plan.dry_run = options.dry_run;
  return plan;
}

nlohmann::json plan_json(const HistoricalPlan& plan) {
  const auto& info = plan.inspection;
  return {{"file", plan.path},
          {"size", info.file_size},
          {"sql_bytes", info.sql_bytes},
          {"compression", io::compression_name(info.compression)},
          {"completion_marker", info.marker_found},
          {"manifest_checked", plan.dump->record.has_value()},
          {"database", plan.source},
          {"target", plan.target},
          {"drops", plan.dropped},
          {"tables", info.tables},
          {"views", info.views},
          {"procedures", info.procedures},
          {"functions", info.functions},
          {"triggers", info.triggers},
          {"events", info.events},
          {"schema_only", schema_only(info)},
          {"jobs", plan.jobs}};
}

void prepare_target(const HistoricalPlan& plan, mysql::Connection& connection) {
  std::string quoted = mysql::quote_identifier(plan.target);
  bool dump_drops_target = std::find(plan.inspection.dropped.begin(), plan.inspection.dropped.end(), plan.source) !=
                           plan.inspection.dropped.end();
  if (plan.renamed && plan.target_exists && plan.replace && !dump_drops_target)
    connection.execute("DROP DATABASE " + quoted);
  if (!plan.dump_creates_target) connection.execute("CREATE DATABASE IF NOT EXISTS " + quoted);
}

sqlload::LoadResult load(Context& context, const HistoricalPlan& plan, const sqlload::DumpSource& source) {
  sqlload::LoadOptions load;
  load.connection = mysql::options_from_settings(context.settings());
  load.jobs = plan.jobs;
  load.skip_binlog = plan.skip_binlog;
  if (plan.renamed) load.rename = {plan.source, plan.target};
  if (plan.inspection.used.empty() && !plan.dump_creates_target) load.initial_database = plan.target;
  auto& console = context.console();
  auto started = std::chrono::steady_clock::now();
  const unsigned long long total = plan.inspection.file_size;
  auto result = sqlload::load_dump(source, load, [&](const sqlload::LoadProgress& p) {
    if (!console.progress_enabled()) return;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double rate = seconds > 0 ? static_cast<double>(p.file_bytes) / seconds : 0;
    std::string eta = rate > 0 && total > p.file_bytes
                          ? core::human_duration(static_cast<double>(total - p.file_bytes) / rate)
                          : "-";
    console.progress(fmt::format("loading {}: {}% of {}, {} tables, {}/s of SQL, ETA {}  {}", plan.target,
                                 total ? p.file_bytes * 100 / total : 0, core::human_size(total), p.tables,
                                 core::human_size(static_cast<unsigned long long>(
                                     seconds > 0 ? static_cast<double>(p.sql_bytes) / seconds : 0)),
                                 eta, p.table));
  });
  console.finish_progress();
  return result;
}

}  // namespace

std::string HistoricalPlan::text() const {
  const auto& info = inspection;
  const auto& plan = *this;
  std::string text = fmt::format("restore-historical plan\n  file:      {}\n  size:      {} ({}, {} of SQL)\n",
                                 plan.path, core::human_size(info.file_size), io::compression_name(info.compression),
                                 core::human_size(info.sql_bytes));
  text += fmt::format("  verified:  stream intact, {}{}\n",
                      info.marker_found ? "complete (dump completed " + info.completed_on + ")"
                                        : "no completion marker (this producer writes none)",
                      plan.dump->record ? ", size and SHA-256 as recorded in " + plan.dump->record_place : "");
  if (!info.producer.empty()) text += fmt::format("  made by:   {}\n", info.producer);
  text += fmt::format("  contents:  {} tables, {} views, {} procedures, {} functions, {} triggers, {} events\n",
                      info.tables, info.views, info.procedures, info.functions, info.triggers, info.events);
  if (schema_only(info))
    text += "  SCHEMA ONLY: the dump holds no rows (no INSERT): tables come back EMPTY\n";
  text += fmt::format("  database:  {}{}\n", plan.source,
                      plan.renamed ? fmt::format(" restored as {} (the original is not touched)", plan.target) : "");
  for (size_t i = 0; i < plan.dropped.size(); ++i)
    text += fmt::format("  DROPS:     database {} ({} tables now) and everything in it\n", plan.dropped[i],
                        plan.dropped_tables[i]);
  if (plan.target_exists && plan.dropped.empty())
    text += fmt::format("  WARNING:   database {} exists and the dump does not drop it: objects are added or replaced\n",
                        plan.target);
  text += fmt::format("  loading:   {} connections{}\n", plan.jobs,
                      skip_binlog ? ", not written to the binary log (--skip-binlog)" : "");
  return text;
}

nlohmann::json HistoricalPlan::json() const { return {{"plan", plan_json(*this)}, {"dry_run", dry_run}}; }

Report execute_restore_historical(Context& context, const HistoricalPlan& plan) {
  // The dump is read again to be loaded: another file renamed over it since its check (a backup of
  // the same name, a copy) must not be loaded in its place, and the bytes loaded must be those
  // checked (an object of the bucket replaced meanwhile).
  io::Sha256 digest;
  sqlload::DumpSource source = opened_source(*plan.dump, digest);
  if (!unchanged(*plan.dump))
    throw precondition_error("{} was replaced after it was checked (a backup ran meanwhile?); nothing was changed: "
                             "run restore-historical again",
                             plan.path);
  mysql::Connection connection = context.connect();
  prepare_target(plan, connection);
  auto result = with_context(fmt::format("restoring {} from {}", plan.target, plan.path),
                             [&] { return load(context, plan, source); });
  if (digest.hex_digest() != plan.inspection.sha256)
    throw failure("{} changed while it was being loaded: {} holds what was read, not the dump that was checked; "
                  "run restore-historical again",
                  plan.path, plan.target);
  Report report;
  report.data["restored"] = {{"database", plan.target},
                             {"tables", result.tables},
                             {"objects", result.objects},
                             {"statements", result.statements},
                             {"sql_bytes", result.sql_bytes},
                             {"seconds", result.seconds}};
  context.console().summary(fmt::format("restored {} from {}: {} tables, {} objects, {} of SQL in {}", plan.target,
                                        plan.path, result.tables, result.objects, core::human_size(result.sql_bytes),
                                        core::human_duration(result.seconds)));
  return report;
}

Command restore_historical_command(const RestoreHistoricalOptions& options) {
  // Held to the end (restore_locks.hpp): the dump folder's read lock, then the server locks of the
  // databases the options name and those the dump itself touches.
  return make_command<HistoricalPlan>(
      "restore-historical", true, options.dry_run,
      [options](Context& context) {
        if (options.dry_run) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{read_dump_lock(context.settings(), options.file)};
      },
      [options](Context& context, HeldLocks& locks) {
        mysql::Connection connection = context.connect();
        return with_context("restore-historical", [&] { return make_plan(context, options, connection, locks); });
      },
      execute_restore_historical);
}

}  // namespace mysqlpitr::commands
