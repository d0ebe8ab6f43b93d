#include "commands/status_facts.hpp"

#include <algorithm>
#include <map>

#include "archive/server_binlogs.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/mongo_common.hpp"
#include "commands/repository.hpp"
#include "commands/restore_locks.hpp"
#include "commands/status_binlogs.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {
namespace {

struct ServerSide {
  std::optional<mysql::ServerFacts> facts;
  std::optional<archive::ServerBinlogs> binlogs;
  std::vector<std::string> databases;
};

// Whether a restore holds the database's restore lock now (restore_locks.hpp): what it stages
// is work under way, not a leftover.
bool restore_running(mysql::Connection& connection, const std::string& database) {
  return connection.scalar("SELECT IS_USED_LOCK(" + connection.quote(restore_lock_name(database)) + ")").has_value();
}

// A killed table-level restore or drill leaves its databases (and, mid-swap, the live table under
// another name, its triggers not yet back): worth a look before anything else is restored.
void report_leftovers(mysql::Connection& connection, const mysql::Leftovers& leftovers, StatusFacts& status) {
  for (const auto& name : leftovers.databases) {
    if (restore_running(connection, name)) continue;
    bool drill = name.starts_with("mysqlpitr_drill_");
    status.problems.push_back(
        {Severity::warning, "",
         fmt::format("database {} was left by an interrupted {}", name,
                     drill ? "restore drill" : "table-level restore-pitr"),
         drill ? fmt::format("DROP DATABASE `{}`", name)
               : fmt::format("rerun the same restore-pitr command to finish it, or check and DROP DATABASE `{}`", name)});
  }
  for (const auto& [database, table] : leftovers.tables) {
    if (restore_running(connection, database)) continue;
    status.problems.push_back(
        {Severity::warning, database,
         fmt::format("table {}.{} is the live table as it was before an interrupted table-level restore-pitr replaced "
                     "it (a restore of that table is refused while it exists)",
                     database, table),
         fmt::format("compare it with {}.{}, keep the one you want (RENAME TABLE) and drop the other", database,
                     table.substr(0, table.size() - std::string_view("#mysqlpitr").size()))});
  }
}

ServerSide ask_server(Context& context, StatusFacts& status) {
  ServerSide side;
  try {
    auto connection = context.connect();
    side.facts = mysql::read_server_facts(connection);
    status.server = fmt::format("{} ({} {})", connection.options().describe(), side.facts->flavor_name(),
                                side.facts->version);
    side.databases = mysql::list_databases(connection, context.settings().mysql.exclude.value);
    report_leftovers(connection, mysql::find_leftovers(connection), status);
    if (!side.facts->log_bin) {
      status.problems.push_back({Severity::warning, "", "binary logging is off on the server: no PITR is possible",
                                 "set log_bin (and binlog_format=ROW) in the server's configuration and restart it"});
      return side;
    }
    try {
      side.binlogs = archive::read_server_binlogs(connection, *side.facts);
    } catch (const Error& error) {
      status.warnings.push_back(fmt::format("the server's binlogs cannot be read from here: {}", error.what()));
    }
  } catch (const Error& error) {
    status.server_problem = error.what();
    status.problems.push_back({Severity::warning, "",
                               "the server is unreachable (" + error.message() + "): status shows what the backups "
                               "alone tell",
                               "mysqlpitr check"});
  }
  return side;
}

// Modes s3/both: the bucket's dumps and bases count as the local ones do (in mode s3 they are the
// only ones); a name held in both places is listed once. MongoDB dump folders: gather_mongo.
void add_bucket_entries(catalog::BackupKind kind, const config::Settings& settings,
                        std::vector<catalog::BackupEntry>& backups, StatusFacts& status) {
  if (kind == catalog::BackupKind::mongo || !uses_bucket(repository_mode(settings))) return;
  try {
    auto bucket = open_bucket(settings, bucket_folder(kind));
    auto records = catalog::read_records(*bucket);
    for (auto& entry : scan_bucket_kind(*bucket, kind, settings.backup.date_format.value, records)) {
      if (!records.contains(entry.name)) continue;  // an upload never finished protects nothing
      bool local = std::any_of(backups.begin(), backups.end(), [&](const auto& held) { return held.name == entry.name; });
      if (!local) backups.push_back(std::move(entry));
    }
  } catch (const Error& error) {
    status.problems.push_back({Severity::warning, "", fmt::format("the bucket's {} could not be read: {}",
                                                                  catalog::kind_name(kind), error.what()),
                               "mysqlpitr check"});
  }
}

std::vector<catalog::BackupEntry> scan(const std::string& folder, catalog::BackupKind kind, const config::Settings& settings,
                                       StatusFacts& status, crypto::KeyRing* keys = nullptr) {
  auto inventory = catalog::scan_folder(folder, kind, settings.backup.date_format.value,
                                        kind == catalog::BackupKind::pitr_base, keys);
  for (const auto& skipped : inventory.skipped)
    status.warnings.push_back(fmt::format("skipped {}: {}", skipped.path, skipped.reason));
  add_bucket_entries(kind, settings, inventory.backups, status);
  catalog::sort_newest_first(inventory.backups);
  return inventory.backups;
}

DatabaseStatus& database_named(StatusFacts& status, const std::string& name, const std::string& engine) {
  for (auto& database : status.databases)
    if (database.name == name && database.engine == engine) return database;
  status.databases.push_back({});
  status.databases.back().name = name;
  status.databases.back().engine = engine;
  return status.databases.back();
}

bool excluded(const config::Settings& settings, const std::string& name) {
  const auto& list = settings.mysql.exclude.value;
  return std::any_of(list.begin(), list.end(), [&](const std::string& e) { return core::iequals(e, name); });
}

// The configured keys read encrypted bases' coordinates; a key file that cannot be used is a
// problem of its own (every encrypted backup needs it), not a reason to report nothing.
crypto::KeyRing* usable_keys(Context& context, StatusFacts& status) {
  try {
    return context.key_ring();
  } catch (const Error& error) {
    status.problems.push_back({Severity::critical, "", error.what(), "mysqlpitr check"});
    return nullptr;
  }
}

void gather_mysql_backups(const config::Settings& settings, StatusFacts& status, crypto::KeyRing* keys) {
  // Newest first: the first entry seen of a database is its newest.
  for (auto& entry : scan(settings.paths.historical.value, catalog::BackupKind::historical, settings, status)) {
    if (excluded(settings, entry.database)) continue;
    auto& database = database_named(status, entry.database, "mysql");
    if (!database.dump) database.dump = std::move(entry);
  }
  for (auto& entry : scan(settings.paths.pitr_base.value, catalog::BackupKind::pitr_base, settings, status, keys)) {
    if (excluded(settings, entry.database)) continue;
    auto& database = database_named(status, entry.database, "mysql");
    if (!database.base) database.base = std::move(entry);
  }
  auto schema = scan(settings.paths.schema.value, catalog::BackupKind::schema, settings, status);
  if (!schema.empty()) status.schema = schema.front();
}

// MongoDB: the databases in the newest dump folder (local, or in modes s3/both the bucket's), each
// with that folder as its newest dump.
void gather_mongo(const config::Settings& settings, StatusFacts& status) {
  const std::string& folder = settings.mongo.backup_dir.value;
  bool bucket = uses_bucket(repository_mode(settings));
  if (!bucket && (folder.empty() || !io::stat_entry(folder))) return;  // MongoDB not backed up here
  std::vector<catalog::BackupEntry> dumps;
  if (!folder.empty() && io::stat_entry(folder)) dumps = scan(folder, catalog::BackupKind::mongo, settings, status);
  try {
    add_bucket_only(settings, dumps);
  } catch (const Error& error) {
    status.problems.push_back({Severity::warning, "", fmt::format("the bucket's MongoDB dumps could not be read: {}",
                                                                  error.what()),
                               "mysqlpitr check"});
  }
  if (dumps.empty()) {
    // An empty folder is a problem only where MongoDB is configured: the folder alone may be a default.
    bool configured = !settings.mongo.uri.value.empty() || !settings.mongo.host.from_default();
    if (configured)
      status.problems.push_back({Severity::critical, "", "no MongoDB dump in " + folder, "mysqlpitr backup --kind mongo"});
    return;
  }
  std::vector<std::string> names;
  if (is_bucket_entry(dumps.front())) {
    names = bucket_mongo_databases(settings, dumps.front().name);
  } else {
    for (const auto& item : mongo_folder_details(dumps.front().path).value("databases", nlohmann::json::array()))
      names.push_back(item.value("name", ""));
  }
  for (const auto& name : names) {
    auto& database = database_named(status, name, "mongo");
    database.on_server = false;
    database.dump = dumps.front();
  }
}

void add_age_problem(StatusFacts& status, const std::string& database, const catalog::BackupEntry& entry,
                     std::int64_t limit, const std::string& what, const std::string& fix) {
  long long age = status.now - entry.time;
  if (age <= limit) return;
  Severity severity = age > 2 * limit ? Severity::critical : Severity::warning;
  status.problems.push_back({severity, database,
                             fmt::format("its newest {} is {} old ({}), beyond {}", what,
                                         core::human_duration(static_cast<double>(age)), core::format_datetime(entry.time),
                                         core::human_duration(static_cast<double>(limit))),
                             fix});
}

void judge_database(StatusFacts& status, DatabaseStatus& database, bool server_known) {
  if (database.engine == "mongo") {
    add_age_problem(status, database.name, *database.dump, status.max_dump_age, "MongoDB dump",
                    "mysqlpitr backup --kind mongo");
    return;
  }
  if (server_known && !database.on_server) return;  // dropped from the server: its backups are history
  std::string db = " --db " + database.name;
  if (!database.dump)
    status.problems.push_back({Severity::critical, database.name, "no historical dump", "mysqlpitr backup --kind historical" + db});
  else
    add_age_problem(status, database.name, *database.dump, status.max_dump_age, "historical dump",
                    "mysqlpitr backup --kind historical" + db);
  if (!database.base)
    status.problems.push_back({Severity::warning, database.name, "no PITR base: point-in-time recovery is impossible",
                               "mysqlpitr backup --kind pitr-base" + db});
  else if (!database.base->coordinates)
    status.problems.push_back({Severity::critical, database.name,
                               "its PITR base " + database.base->path + " records no binlog coordinates",
                               "mysqlpitr backup --kind pitr-base" + db});
  else
    add_age_problem(status, database.name, *database.base, status.max_base_age, "PITR base",
                    "mysqlpitr backup --kind pitr-base" + db);
}

// The command that runs a job again: "backup historical" -> "mysqlpitr backup --kind historical".
std::string rerun_command(const std::string& job) {
  if (job.rfind("backup ", 0) == 0) return "mysqlpitr backup --kind " + job.substr(7);
  if (job == "drill") return "mysqlpitr verify --drill";
  return "mysqlpitr " + job;
}

void judge_jobs(StatusFacts& status) {
  for (const auto& job : status.jobs) {
    if (job.exit_code == 0) continue;
    if (job.job == "drill") continue;  // judged per database
    bool damaged = job.job == "verify";
    status.problems.push_back({damaged ? Severity::critical : Severity::warning, "",
                               fmt::format("the last {} ({}) failed with exit code {}: {}", job.job,
                                           core::format_datetime(job.ended_at), job.exit_code, job.error),
                               rerun_command(job.job)});
  }
}

void apply_drill_results(StatusFacts& status) {
  auto drill = std::find_if(status.jobs.begin(), status.jobs.end(), [](const JobResult& j) { return j.job == "drill"; });
  if (drill == status.jobs.end() || !drill->details.is_object()) return;
  const nlohmann::json databases = drill->details.value("databases", nlohmann::json::object());
  for (const auto& [name, outcome] : databases.items()) {
    auto& database = database_named(status, name, "mysql");
    database.drill = DrillOutcome{drill->ended_at, outcome.value("ok", false), outcome.value("message", "")};
    if (!database.drill->ok)
      status.problems.push_back({Severity::critical, name,
                                 fmt::format("the last restore drill ({}) failed: {}",
                                             core::format_datetime(drill->ended_at), database.drill->message),
                                 "mysqlpitr verify --drill --db " + name});
  }
}

}  // namespace

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::ok: return "ok";
    case Severity::warning: return "warning";
    case Severity::critical: return "critical";
  }
  return "ok";
}

Severity StatusFacts::worst() const {
  Severity worst = Severity::ok;
  for (const auto& problem : problems) worst = std::max(worst, problem.severity);
  return worst;
}

StatusFacts gather_status(Context& context) {
  const auto& settings = context.settings();
  StatusFacts status;
  status.now = std::time(nullptr);
  status.max_dump_age = settings.status.max_dump_age.value.seconds;
  status.max_base_age = settings.status.max_base_age.value.seconds;
  status.max_recovery_point = settings.status.max_recovery_point.value.seconds;
  ServerSide server = ask_server(context, status);
  for (const auto& name : server.databases) database_named(status, name, "mysql").on_server = true;
  crypto::KeyRing* keys = usable_keys(context, status);
  gather_mysql_backups(settings, status, keys);
  gather_mongo(settings, status);
  BinlogView view = read_binlog_view(settings, server.facts, server.binlogs, status, keys);
  status.state_folder = job_state_folder(settings);
  status.jobs = read_job_results(status.state_folder, status.warnings);
  std::sort(status.jobs.begin(), status.jobs.end(), [](const JobResult& a, const JobResult& b) { return a.job < b.job; });
  bool server_known = status.server_problem.empty();
  for (auto& database : status.databases) {
    judge_database(status, database, server_known);
    if (database.engine == "mysql" && (!server_known || database.on_server)) check_continuity(view, database, status.problems);
  }
  judge_jobs(status);
  apply_drill_results(status);
  std::sort(status.databases.begin(), status.databases.end(), [](const DatabaseStatus& a, const DatabaseStatus& b) {
    return std::pair(a.engine, a.name) < std::pair(b.engine, b.name);
  });
  return status;
}

}  // namespace mysqlpitr::commands
