#include "commands/restore_pitr.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>

#include <fmt/ranges.h>

#include "archive/folder_storage.hpp"
#include "archive/stream_file.hpp"
#include "binlog/name.hpp"
#include "catalog/coordinates.hpp"
#include "catalog/inventory.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_pitr.hpp"
#include "commands/chain_records.hpp"
#include "commands/plan_progress.hpp"
#include "commands/dump_database.hpp"
#include "commands/restore_locks.hpp"
#include "commands/restore_pitr_tables.hpp"
#include "commands/stored_dump.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/file_check.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "mysql/server_facts.hpp"
#include "pitr/binlog_menu.hpp"
#include "pitr/plan.hpp"
#include "pitr/resume_record.hpp"
#include "pitr/replay.hpp"
#include "sqlload/inspect.hpp"
#include "sqlload/loader.hpp"

namespace mysqlpitr::commands {
namespace {

// The runbook of a point-in-time restore, one function per step.

std::string select_database(Context& context, const RestorePitrOptions& options) {
  if (!options.database.empty()) return options.database;
  const auto& settings = context.settings();
  auto inventory = catalog::scan_folder(settings.paths.pitr_base.value, catalog::BackupKind::pitr_base,
                                        settings.backup.date_format.value, true, context.key_ring());
  catalog::sort_newest_first(inventory.backups);
  if (inventory.backups.empty())
    throw precondition_error("no PITR bases (<db>-back.sql) in {}: pass --db NAME and --base FILE",
                             settings.paths.pitr_base.value);
  std::vector<std::string> items;
  for (const auto& entry : inventory.backups)
    items.push_back(fmt::format("{}  base of {}  {}", entry.database, core::format_datetime(entry.mtime),
                                entry.coordinates ? entry.coordinates->file + ":" + std::to_string(entry.coordinates->position)
                                                  : "(no coordinates)"));
  return inventory.backups.at(context.console().choose("Database to restore:", items, "--db NAME")).database;
}


// The base's name is fixed and the nightly base backup (ours, or a legacy script's) renames a new
// file over it: a base loaded from another file than the one whose coordinates start the replay
// would apply events twice or not at all. Called when its coordinates are read and once the load
// has opened it, before anything is touched; what the load read is then told by its digest (an
// object of the bucket only so: load_base).
void require_same_base(const PitrBase& base) {
  if (unchanged(*base.dump)) return;
  throw precondition_error("the PITR base {} was replaced after its coordinates were read (a base backup ran "
                           "meanwhile?); nothing was changed: run restore-pitr again",
                           base.path);
}

catalog::BinlogCoordinates require_coordinates(const std::string& path,
                                               const std::optional<catalog::BinlogCoordinates>& coordinates) {
  if (!coordinates)
    throw precondition_error("{} holds no binlog coordinates (no '-- CHANGE MASTER TO MASTER_LOG_FILE=...' line): "
                             "the point it is consistent with is unknown, so no replay can start from it",
                             path);
  return *coordinates;
}

// Only its head is read here; the plan's inspection reads it whole and checks it against its record.
PitrBase base_of(StoredDump stored) {
  PitrBase base;
  base.path = stored.url;
  base.coordinates = require_coordinates(base.path, catalog::read_dump_coordinates(*stored.source.open(nullptr)));
  base.dump = std::make_shared<const StoredDump>(std::move(stored));
  require_same_base(base);
  return base;
}

PitrBase select_base(Context& context, const RestorePitrOptions& options, const std::string& database) {
  std::string path = options.base.empty() ? catalog::pitr_base_path(context.settings().paths.pitr_base.value, database)
                                          : options.base;
  struct stat st {};
  bool local = ::stat(path.c_str(), &st) == 0;
  if (!local && options.base.empty())
    if (auto object = bucket_pitr_base(context.settings(), database, context.key_ring()))
      return base_of(std::move(*object));
  if (!local || !S_ISREG(st.st_mode))
    throw precondition_error("PITR base of {} missing: {} does not exist (make one with backup --kind pitr-base)",
                             database, path);
  return base_of(local_dump(path, context.key_ring()));
}

pitr::StopPoint select_stop(Context& context, const RestorePitrOptions& options, const mysql::ServerFacts& facts,
                            const std::vector<pitr::FoundBinlog>& binlogs, const std::string& start_file) {
  int given = !options.stop_datetime.empty() + !options.stop_position.empty() + !options.stop_gtid.empty() +
              !options.until_binlog.empty();
  if (given > 1)
    throw usage_error("give one stop point: --stop-datetime, --stop-position, --stop-gtid or --until-binlog");
  if (!options.stop_datetime.empty()) return pitr::stop_at_datetime(options.stop_datetime, facts.utc_offset_seconds);
  if (!options.stop_position.empty()) return pitr::stop_at_position(options.stop_position);
  if (!options.stop_gtid.empty()) return pitr::stop_at_gtid(options.stop_gtid);
  if (!options.until_binlog.empty()) return pitr::stop_until_binlog(options.until_binlog);
  auto& console = context.console();
  if (!console.interactive() || options.resume) return {};
  // The old page's flow: pick binlogs (one means all before it too), then an optional time.
  auto menu = pitr::binlog_menu(binlogs, start_file, context.settings().pitr.day_start.value, facts.utc_offset_seconds);
  std::vector<std::string> items = {"all binlogs, to the end of the newest"};
  for (const auto& item : menu) items.push_back(item.label);
  size_t chosen = console.choose("Replay up to which binlog? (choosing one replays every earlier one too)", items,
                                 "--until-binlog FILE");
  pitr::StopPoint stop;
  if (chosen > 0) stop = pitr::stop_until_binlog(menu[chosen - 1].name);
  std::string time = console.ask(
      fmt::format("Stop time, server time zone {} ('YYYY-MM-DD HH:MM:SS', empty for none; the event at that time is "
                  "not applied): ",
                  pitr::format_offset(facts.utc_offset_seconds)),
      "--stop-datetime");
  if (!core::trim(time).empty()) {
    if (chosen > 0)
      throw usage_error("a stop time and a binlog choice together are ambiguous: choose all binlogs with a stop time");
    stop = pitr::stop_at_datetime(std::string(core::trim(time)), facts.utc_offset_seconds);
  }
  return stop;
}

// Where the server writes now: "to the end of the newest binlog" must end there.

// --resume: starts where the recorded replay of the same base stopped.
void resume_from(pitr::PlanInput& input, const RestorePitrPlan& out) {
  std::string base_start = fmt::format("{}:{}", input.base_file, input.base_position);
  if (!out.progress)
    throw precondition_error("--resume: no interrupted replay of {} is recorded on this server", input.target);
  if (out.progress->base_start != base_start || out.progress->base != out.base.path)
    throw precondition_error("--resume: the recorded replay of {} started from {} ({}), not from {} ({})",
                             input.target, out.progress->base, out.progress->base_start, out.base.path, base_start);
  if (out.progress->state != "replaying")
    throw failure("--resume: the replay of {} stopped while a statement that commits on its own (DDL or a "
                  "non-transactional table) at {}:{} was running; whether it took effect cannot be known: check "
                  "the database, then restore again without --resume",
                  input.target, out.progress->file, out.progress->position);
  input.start_file = out.progress->file;
  input.start_position = out.progress->position;
}

// The binlog `binlogs stream` was writing (`<name>.streaming` in the archive), up to its last
// whole event, when neither folder holds that binlog itself: the server's own file, where it can
// be read, is longer or as long, and is its true copy.
void add_streamed_binlog(pitr::PlanInput& input) {
  auto has = [](const std::vector<pitr::FoundBinlog>& files, const std::string& name) {
    return std::any_of(files.begin(), files.end(), [&](const auto& file) { return file.name == name; });
  };
  auto archive = archive::open_archive(input.archive_folder);
  if (!archive) return;
  auto prefix = binlog::parse_binlog_name(input.base_file);
  for (const auto& object : archive->list_level("").objects) {
    auto binlog = archive::streamed_binlog(object.key);
    if (!binlog || binlog::parse_binlog_name(*binlog)->prefix != prefix->prefix || has(input.archive, *binlog) ||
        has(input.datadir, *binlog))
      continue;
    std::string path = archive->describe(object.key);
    input.archive.push_back({.name = *binlog, .path = path, .size = archive::whole_part(path).end, .streaming = true});
  }
}

// The stop point and the binlogs up to it, from the base's coordinates (or the resume record's).
void plan_replay(Context& context, const RestorePitrOptions& options, mysql::Connection& connection,
                 pitr::PlanInput& input, RestorePitrPlan& out, BucketBinlogs& bucket) {
  input.start_file = input.base_file;
  input.start_position = input.base_position;
  auto name = binlog::parse_binlog_name(input.base_file);
  if (!name) throw precondition_error("{}: coordinates name '{}', not a binlog file", out.base.path, input.base_file);
  input.archive_folder = context.settings().paths.binlog_archive.value;
  if (!out.facts.log_bin_basename.empty()) input.datadir_folder = io::parent_path(out.facts.log_bin_basename);
  else if (!out.facts.datadir.empty()) input.datadir_folder = out.facts.datadir;
  if (!input.datadir_folder.empty() && ::access(input.datadir_folder.c_str(), R_OK | X_OK) != 0)
    input.datadir_folder.clear();
  input.archive = archive_binlogs(context, input.archive_folder, name->prefix);
  // Modes s3/both: what only the bucket holds joins the archive, read from there by ranges.
  bucket = bucket_binlogs(context.settings(), input.start_file, input.archive, context.key_ring());
  input.archive.insert(input.archive.end(), bucket.found.begin(), bucket.found.end());
  input.datadir = pitr::list_binlogs(input.datadir_folder, name->prefix);
  add_streamed_binlog(input);
  input.server_binlog = mysql::current_binlog(connection, out.facts);  // right after the listing it is compared with
  out.progress = pitr::read_resume_record(connection, input.target);
  if (options.resume) resume_from(input, out);
  std::vector<pitr::FoundBinlog> all = input.archive;
  all.insert(all.end(), input.datadir.begin(), input.datadir.end());
  input.stop = select_stop(context, options, out.facts, all, input.base_file);
  input.include_ambiguous = options.include_ambiguous;
  input.now = static_cast<std::time_t>(std::stoll(connection.scalar("SELECT UNIX_TIMESTAMP()").value_or("0")));
  input.progress = plan_progress(context.console(), "planning: reading the binlogs");
}

// The whole base read once before anything is touched, hashed, and checked against its record (the
// folder manifest's entry, or the object's bucket record: size, SHA-256, coordinates). A legacy
// base without one is checked by its content alone.
sqlload::DumpInspection inspect_base(const PitrBase& base) {
  const StoredDump& stored = *base.dump;
  auto inspection = sqlload::inspect_dump(stored.source, stored.size, {}, true);
  const auto& at = base.coordinates;
  // An edited position would make the replay skip or repeat transactions: the file and the
  // coordinates must be the ones the base backup recorded.
  require_record_match(stored, {inspection.file_size, inspection.sha256, dump::Coordinates{at.file, at.position, at.gtid}});
  // A bucket record is its backup report's entry: the coordinates sit in an object of their own.
  const auto recorded = stored.record ? stored.record->value("coordinates", nlohmann::json::object())
                                      : nlohmann::json::object();
  if (recorded.contains("file") &&
      (recorded.value("file", "") != at.file || recorded.value("position", 0ULL) != at.position))
    throw precondition_error("{} is not the {} its backup recorded: binlog coordinates {}:{} differ from the "
                             "record's {}:{} ({}); it was changed, cut or replaced since, so it is not used",
                             base.path, stored.what, at.file, at.position, recorded.value("file", ""),
                             recorded.value("position", 0ULL), stored.record_place);
  return inspection;
}

RestorePitrPlan make_plan(Context& context, const RestorePitrOptions& options, const std::string& database,
                          std::shared_ptr<mysql::Connection> shared) {
  RestorePitrPlan out;
  mysql::Connection& connection = *shared;
  pitr::PlanInput input;
  input.database = database;
  input.target = options.into.empty() ? input.database : options.into;
  if (!options.tables.empty()) {
    // The live tables are replaced only at the end: an interrupted run changed none of them.
    if (options.resume) throw usage_error("--resume and --table: a table-level restore starts over (run it again)");
    if (options.replace) throw usage_error("--replace and --table: only the selected tables of --into are replaced");
    input.scratch = scratch_database(input.target);
  }
  // As restore-historical: --into is a copy beside the original, so an existing database of that
  // name is dropped only when asked for (--resume continues a replay that replaced it already).
  if (options.tables.empty() && input.target != input.database && !options.replace && !options.resume &&
      mysql::database_exists(connection, input.target))
    throw precondition_error("database '{}' exists: pass --replace to drop it and restore {} into it as of the stop point",
                             input.target, input.database);
  out.base = select_base(context, options, input.database);
  // Read whole even by --resume, which loads nothing: its coordinates must be the recorded ones.
  out.base_inspection = inspect_base(out.base);
  if (!options.resume) {
    require_dump_of(out.base_inspection, input.database);
    if (!options.tables.empty())
      input.tables = check_table_selection(connection, options.tables, out.base_inspection, input.database, input.target);
  }
  if (!input.tables.empty()) input.hidden = hidden_writers(connection, input.tables);
  out.facts = mysql::read_server_facts(connection);
  input.base_path = out.base.path;
  input.base_file = out.base.coordinates.file;
  input.base_position = out.base.coordinates.position;
  BucketBinlogs bucket;
  plan_replay(context, options, connection, input, out, bucket);
  out.plan = pitr::make_plan(input);
  context.console().finish_progress();
  // The binlogs the replay reads, before anything is confirmed or dropped; a dry run reads only
  // what the plan needs.
  if (!options.dry_run) {
    const auto& files = out.plan.chain.files;
    size_t replayed = std::min(out.plan.end.file_index + 1, files.size());
    verify_chain_binlogs(context, {files.begin(), files.begin() + static_cast<std::ptrdiff_t>(replayed)}, bucket,
                         input.archive_folder);
  }
  out.options = options;
  out.connection = std::move(shared);
  return out;
}

void load_base(Context& context, const RestorePitrPlan& prepared, const RestorePitrOptions& options,
               mysql::Connection& connection) {
  const auto& in = prepared.plan.input;
  // Opened before anything is touched; what it loads is hashed and compared with the plan's check.
  io::Sha256 digest;
  sqlload::DumpSource source = opened_source(*prepared.base.dump, digest);
  require_same_base(prepared.base);
  if (options.skip_binlog) connection.execute("SET sql_log_bin = 0");
  // A replay must start from exactly the base: tables created after it must not survive. Selected
  // tables go to the scratch database first (with the database's default collation, which the
  // replay's CREATE TABLE statements take).
  const std::string& into = in.tables.empty() ? in.target : in.scratch;
  std::string create = "CREATE DATABASE " + mysql::quote_identifier(into);
  if (!in.tables.empty())
    if (auto collation = connection.scalar("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE "
                                           "SCHEMA_NAME = " + connection.quote(in.database)))
      create += " COLLATE " + *collation;
  connection.execute("DROP DATABASE IF EXISTS " + mysql::quote_identifier(into));
  connection.execute(create);
  sqlload::LoadOptions load;
  load.connection = mysql::options_from_settings(context.settings());
  load.jobs = static_cast<unsigned>(std::max<long long>(1, context.settings().backup.jobs.value));
  load.skip_binlog = options.skip_binlog;
  if (into != in.database) load.rename = {in.database, into};
  load.initial_database = into;
  load.tables = in.tables;
  auto& console = context.console();
  sqlload::load_dump(source, load, [&](const sqlload::LoadProgress& p) {
    if (console.progress_enabled())
      console.progress(fmt::format("loading base {}: {} of SQL, {} tables  {}", prepared.base.path,
                                   core::human_size(p.sql_bytes), p.tables, p.table));
  });
  console.finish_progress();
  if (digest.hex_digest() != prepared.base_inspection.sha256)
    throw failure("the PITR base {} changed while it was being loaded: the target holds what was read, not the base "
                  "that was checked; run restore-pitr again",
                  prepared.base.path);
}

nlohmann::json result_json(const pitr::ReplayResult& result) {
  return {{"applied_transactions", result.applied},   {"skipped_transactions", result.skipped},
          {"statements", result.statements},          {"row_events", result.row_events},
          {"groups", result.groups},                  {"fallbacks", result.fallbacks},
          {"final_file", result.final_file},          {"final_position", result.final_position},
          {"stop_reached", result.end.stop_reached},  {"seconds", result.seconds}};
}


// The replay itself, on its own session, with a progress line on a terminal.
pitr::ReplayResult replay_chain(Context& context, const RestorePitrPlan& prepared, std::uint64_t before) {
  const auto& plan = prepared.plan;
  const auto& in = plan.input;
  const auto& options = prepared.options;
  auto replay_options = mysql::options_from_settings(context.settings());
  replay_options.multi_statements = true;
  mysql::Connection session = mysql::Connection::open(replay_options);
  if (options.skip_binlog) session.execute("SET sql_log_bin = 0");
  pitr::ReplayOptions replay;
  replay.database = in.database;
  replay.target = in.tables.empty() ? in.target : in.scratch;
  replay.tables = in.tables;
  replay.hidden = in.hidden;
  replay.include_ambiguous = options.include_ambiguous;
  replay.recorded = {in.start_file, in.start_position, before, "replaying"};
  replay.group_transactions = static_cast<std::size_t>(std::max<long long>(1, options.group_transactions));
  auto& console = context.console();
  auto started = std::chrono::steady_clock::now();
  auto result = with_context(fmt::format("restore-pitr of {}", in.target), [&] {
    return pitr::replay(session, plan.chain, in.start_position, in.stop, replay, pitr::read_collations(session),
                        [&](const pitr::ReplayProgress& p) {
                          if (!console.progress_enabled()) return;
                          double seconds =
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                          double rate = seconds > 0 ? static_cast<double>(p.applied - before) / seconds : 0;
                          std::uint64_t remaining = plan.touching > p.applied ? plan.touching - p.applied : 0;
                          console.progress(fmt::format(
                              "replaying {}: {} ({}/{}) at {} of {}, event time {} UTC, {} applied, {} skipped, {:.0f} "
                              "tx/s, ETA {}",
                              in.target, p.file, p.file_index + 1, p.file_count, p.position, p.file_size,
                              core::format_datetime_utc(p.event_time), p.applied, p.skipped, rate,
                              rate > 0 ? core::human_duration(static_cast<double>(remaining) / rate) : "-"));
                        });
  });
  console.finish_progress();
  return result;
}

// Table-level: the restored tables replace the live ones, one RENAME TABLE each.
Report finish_tables(Context& context, const RestorePitrPlan& prepared, const pitr::ReplayResult& result,
                     Report report) {
  const auto& in = prepared.plan.input;
  auto swap = with_context(fmt::format("replacing the tables of {}", in.target), [&] {
    return swap_tables(*prepared.connection, in.scratch, in.target, in.tables);
  });
  report.data["tables"] = {{"replaced", swap.replaced}, {"created", swap.created}, {"absent", swap.absent},
                           {"triggers", swap.triggers}};
  for (const auto& table : swap.absent)
    context.console().warning(fmt::format("{} did not exist at the stop point (dropped before it): {}.{} was left as "
                                          "it is",
                                          table, in.target, table));
  context.console().summary(fmt::format(
      "restored {} of {} to {}: {} replaced, {} created, {} triggers; {} transactions applied ({} statements, {} row "
      "events), {} others skipped, ended at {}:{} in {}",
      fmt::join(in.tables, ", "), in.target, in.stop.describe(), swap.replaced.size(), swap.created.size(),
      swap.triggers, result.applied, result.statements, result.row_events, result.skipped, result.final_file,
      result.final_position, core::human_duration(result.seconds)));
  return report;
}

}  // namespace

std::string RestorePitrPlan::text() const {
  std::string text = pitr::plan_text(plan);
  if (progress && !options.resume)
    text += fmt::format("  note:       an interrupted replay of {} is recorded (at {}:{}); this run starts over "
                        "(--resume would continue it)\n",
                        plan.input.target, progress->file, progress->position);
  return text;
}

nlohmann::json RestorePitrPlan::json() const { return {{"plan", pitr::plan_json(plan)}, {"dry_run", options.dry_run}}; }

std::string RestorePitrPlan::refusal() const {
  auto refused = std::count_if(plan.ambiguous.begin(), plan.ambiguous.end(), [](const auto& a) { return a.refuse; });
  if (refused > 0)
    return fmt::format("{} statements write the selected tables of {} through a trigger or a stored routine (listed "
                       "above), which a table-level restore cannot replay; nothing was changed: restore the whole "
                       "database, or stop before the first one",
                       refused, plan.input.database);
  if (plan.ambiguous.empty() || options.include_ambiguous) return {};
  return fmt::format("{} statements cannot be attributed to {} with certainty (listed above); nothing was changed: pass "
                     "--include-ambiguous to apply them, or stop before the first one",
                     plan.ambiguous.size(),
                     plan.input.tables.empty() ? plan.input.database : "the selected tables of " + plan.input.database);
}

Report execute_restore_pitr(Context& context, const RestorePitrPlan& prepared, HeldLocks& locks) {
  const auto& in = prepared.plan.input;
  mysql::Connection& connection = *prepared.connection;
  const std::string& replayed = in.tables.empty() ? in.target : in.scratch;
  std::uint64_t before = 0;
  if (!prepared.options.resume) {
    with_context(fmt::format("loading the base {} into {}", prepared.base.path, replayed),
                 [&] { load_base(context, prepared, prepared.options, connection); });
    locks.release(context.settings().paths.pitr_base.value, catalog::lock_scope(catalog::BackupKind::pitr_base));
    pitr::write_resume_record(connection, {replayed, prepared.base.path,
                                           fmt::format("{}:{}", in.base_file, in.base_position), in.start_file,
                                           in.start_position, 0, "replaying"});
  } else {
    before = prepared.progress->transactions;
  }
  auto result = replay_chain(context, prepared, before);
  Report report;
  report.data["result"] = result_json(result);
  if (!result.end.stop_reached && !prepared.plan.end.stop_reached) {
    report.code = ExitCode::failed;
    report.errors.push_back(fmt::format("the stop point was not reached: replay ended at {}:{} ({})",
                                        result.final_file, result.final_position, result.end.reason));
    context.console().error(report.errors.back());
    return report;
  }
  pitr::clear_resume_record(connection, replayed);
  if (!in.tables.empty()) return finish_tables(context, prepared, result, std::move(report));
  context.console().summary(fmt::format("restored {} to {}: {} transactions applied ({} statements, {} row events), {} "
                                        "of other databases skipped, ended at {}:{} in {}",
                                        in.target, in.stop.describe(), result.applied, result.statements,
                                        result.row_events, result.skipped, result.final_file, result.final_position,
                                        core::human_duration(result.seconds)));
  return report;
}

// Held to the end (restore_locks.hpp): the archive's read lock, the target's server lock, and the
// bases' folder shared from reading the base's coordinates until it is loaded, so that our own base
// backup cannot replace it meanwhile (it fails with exit 5 instead; require_same_base() covers
// others). Shared: restores of other databases read the same folders at the same time.
std::vector<LockDeclaration> restore_pitr_locks(Context& context, const RestorePitrOptions& options,
                                                const std::string& database) {
  const auto& settings = context.settings();
  std::vector<LockDeclaration> locks;
  if (!options.dry_run) {
    locks.push_back(read_lock(settings.paths.binlog_archive.value, catalog::kBinlogArchiveReadLockScope));
    if (!options.resume && options.base.empty())
      locks.push_back({settings.paths.pitr_base.value, catalog::lock_scope(catalog::BackupKind::pitr_base), true, ""});
  }
  std::string target = options.into.empty() ? database : options.into;
  locks.push_back(database_lock(target));
  if (!options.tables.empty()) locks.push_back(database_lock(scratch_database(target)));
  return locks;
}

Command restore_pitr_command(const RestorePitrOptions& given) {
  auto database = std::make_shared<std::string>();
  auto options = std::make_shared<RestorePitrOptions>(given);  // the menus fill it in
  return make_command<RestorePitrPlan>(
      "restore-pitr", true, given.dry_run,
      [options, database](Context& context) {
        if (options->database.empty()) {
          context.console().require_interactive("--db NAME");
          *database = select_database(context, *options);
          // The runbook's first question: one table or the whole database?
          if (options->tables.empty())
            for (auto& table : core::split(context.console().ask(
                                               fmt::format("Tables of {} to restore, separated by spaces (empty for "
                                                           "the whole database): ",
                                                           *database),
                                               "--table"),
                                           ' '))
              if (!core::trim(table).empty()) options->tables.emplace_back(core::trim(table));
        } else {
          *database = options->database;
        }
        return restore_pitr_locks(context, *options, *database);
      },
      [options, database](Context& context, const HeldLocks&) {
        auto connection = std::make_shared<mysql::Connection>(context.connect());
        return with_context("restore-pitr", [&] { return make_plan(context, *options, *database, connection); });
      },
      execute_restore_pitr);
}

}  // namespace mysqlpitr::commands
