#include "commands/drill.hpp"

#include <unistd.h>

#include "catalog/inventory.hpp"
#include "commands/bucket_dumps.hpp"
#include "commands/drill_pitr.hpp"
#include "commands/restore_historical.hpp"
#include "commands/runner.hpp"
#include "core/strings.hpp"
#include "dump/manifest.hpp"
#include "dump/row_digest.hpp"
#include "dump/snapshot.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {
namespace {

// The scratch database, dropped when the drill of it ends, however it ends.
class ScratchDatabase {
 public:
  ScratchDatabase(mysql::Connection& connection, std::string name) : connection_(connection), name_(std::move(name)) {}
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  ~ScratchDatabase() {
    try {
      connection_.query("DROP DATABASE IF EXISTS " + mysql::quote_identifier(name_));
    } catch (const Error&) {
      // Reported by the next drill's plan (the name is per process, so it never collides).
    }
  }

 private:
  mysql::Connection& connection_;
  std::string name_;
};

std::optional<catalog::BackupEntry> newest_dump(const config::Settings& settings, const std::string& database) {
  auto inventory = catalog::scan_folder(settings.paths.historical.value, catalog::BackupKind::historical,
                                        settings.backup.date_format.value);
  catalog::sort_newest_first(inventory.backups);
  for (auto& entry : inventory.backups)
    if (entry.database == database) return entry;
  return std::nullopt;
}

// [mysql]'s settings pointed at drill.server, when it is set.
config::Settings drill_settings(const config::Settings& live) {
  config::Settings settings = live;
  auto address = config::parse_server_address(live.drill.server.value);
  if (live.drill.server.value.empty() || !address) return settings;
  const std::string origin = "drill.server";
  settings.mysql.socket.set(address->socket, origin);
  if (address->socket.empty()) {
    settings.mysql.host.set(address->host, origin);
    settings.mysql.port.set(address->port, origin);
  } else {
    settings.mysql.host.set("localhost", origin);
  }
  return settings;
}

DrillPlan plan_drill(Context& context, const DrillOptions& options) {
  const auto& settings = context.settings();
  if (options.pitr && !settings.drill.server.value.empty())
    throw usage_error("verify --drill --pitr replays the live server's own binlogs up to its current position, so it "
                      "runs on that server, not on drill.server ({}): leave out --pitr, or unset drill.server",
                      settings.drill.server.value);
  auto connection = context.connect();
  Context target(context, drill_settings(settings));
  auto drill_server = target.connect();
  std::vector<std::string> names = options.databases;
  if (names.empty()) names = mysql::list_databases(connection, settings.mysql.exclude.value);
  DrillPlan plan;
  plan.server = settings.drill.server.value;
  for (const auto& name : names) {
    DrillPlan::Item item;
    item.database = name;
    item.scratch = fmt::format("mysqlpitr_drill_{}_{}", ::getpid(), plan.items.size());
    if (options.pitr) item.pitr_scratch = item.scratch + "_pitr";
    if (auto dump = newest_dump(settings, name)) {
      item.dump = dump->path;
      item.manifest = dump::manifest_entry(dump->folder, dump->name).value_or(nullptr);
    } else if (auto object = newest_bucket_dump(settings, name, "", context.key_ring())) {
      // Mode s3 keeps dumps in the bucket only: the drill restores the object, its record the manifest.
      item.dump = object->url;
      item.manifest = object->record.value_or(nullptr);
    }
    plan.items.push_back(std::move(item));
  }
  if (plan.items.empty()) throw precondition_error("verify --drill: no database to rehearse on the server");
  // A drill killed outright (kill -9, a power cut) cannot drop its scratch database: say so.
  auto left = drill_server.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE "
                               "'mysqlpitr\\_drill\\_%'");
  while (auto row = left.next())
    context.console().warning(fmt::format("scratch database {} is left from an interrupted drill; drop it with: "
                                          "DROP DATABASE `{}`",
                                          row->str(0), row->str(0)));
  return plan;
}

// Restores the dump under the scratch name, as restore-historical --into does (without writing
// to the binary log), through its own plan and locks.
void restore_into_scratch(Context& context, const DrillPlan::Item& item) {
  RestoreHistoricalOptions options;
  options.file = item.dump;
  options.into = item.scratch;
  options.skip_binlog = true;
  with_context("the restore", [&] { run_nested(context, restore_historical_command(options), "verify --drill"); });
}

// What differs between the restored tables and the manifest; empty: they agree.
std::vector<std::string> compare_with_manifest(const nlohmann::json& manifest,
                                               const std::map<std::string, unsigned long long>& rows) {
  std::vector<std::string> differences;
  if (manifest.contains("table_rows")) {
    std::map<std::string, unsigned long long> recorded = manifest["table_rows"];
    for (const auto& [table, count] : recorded) {
      auto found = rows.find(table);
      if (found == rows.end()) differences.push_back(fmt::format("table {} is missing", table));
      else if (found->second != count)
        differences.push_back(fmt::format("table {}: {} rows restored, the manifest recorded {}", table, found->second, count));
    }
    for (const auto& [table, count] : rows)
      if (!recorded.contains(table)) differences.push_back(fmt::format("table {} is not in the manifest", table));
    return differences;
  }
  unsigned long long total = 0;
  for (const auto& [table, count] : rows) total += count;
  if (manifest.contains("rows") && manifest["rows"].get<unsigned long long>() != total)
    differences.push_back(fmt::format("{} rows restored, the manifest recorded {}", total, manifest["rows"].get<unsigned long long>()));
  return differences;
}

// What differs between the restored tables' fingerprints, read as the dump read them, and those
// the dump recorded: a value changed between the dump and the restore (row counts miss it).
std::vector<std::string> compare_digests(const nlohmann::json& manifest, const TableContents& restored) {
  std::vector<std::string> differences;
  if (!manifest.contains("table_digests")) return differences;
  std::map<std::string, std::string> recorded = manifest["table_digests"];
  for (const auto& [table, digest] : recorded) {
    auto found = restored.find(table);
    if (found == restored.end()) continue;  // reported missing by the row comparison
    if (found->second.digest.hex() != digest)
      differences.push_back(fmt::format("table {}: the restored rows are not the dumped ones (fingerprint {}, the "
                                        "manifest recorded {})",
                                        core::printable(table), found->second.digest.hex(), digest));
  }
  return differences;
}

bool scratch_exists(mysql::Connection& connection, const std::string& name) {
  return connection
      .scalar("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + mysql::quote_string(name))
      .has_value();
}

// The PITR drill's outcome ({"ok", "message", ...}), its scratch database dropped however it ends.
nlohmann::json pitr_one(Context& context, mysql::Connection& connection, const DrillPlan::Item& item) {
  if (scratch_exists(connection, item.pitr_scratch))
    return {{"ok", false}, {"message", "the scratch database " + item.pitr_scratch + " exists already: not touched"}};
  try {
    ScratchDatabase scratch(connection, item.pitr_scratch);
    return drill_pitr(context, item.database, item.pitr_scratch);
  } catch (const Error& error) {
    return {{"ok", false}, {"scratch", item.pitr_scratch}, {"message", error.what()}};
  }
}

nlohmann::json dump_drill_one(Context& context, mysql::Connection& connection, const DrillPlan::Item& item) {
  nlohmann::json outcome = {{"dump", item.dump}, {"scratch", item.scratch}};
  if (item.dump.empty()) {
    outcome.update({{"ok", false}, {"message", "no historical dump to restore"}});
    return outcome;
  }
  // The guard drops only a database this drill creates: a name taken already is left alone.
  if (scratch_exists(connection, item.scratch)) {
    outcome.update({{"ok", false}, {"message", "the scratch database " + item.scratch + " exists already: not touched"}});
    return outcome;
  }
  try {
    ScratchDatabase scratch(connection, item.scratch);
    restore_into_scratch(context, item);
    // One read of each restored table gives its rows and its fingerprint.
    auto reader = context.connect();
    dump::prepare_dump_session(reader);
    TableContents restored = fingerprint_tables(reader, item.scratch);
    std::map<std::string, unsigned long long> rows;
    for (const auto& [table, content] : restored) rows[table] = content.rows;
    unsigned long long total = 0;
    for (const auto& [table, count] : rows) total += count;
    outcome["tables"] = rows.size();
    outcome["rows"] = total;
    if (item.manifest.is_null()) {
      outcome.update({{"ok", true}, {"message", "restored; the dump has no manifest to compare with (a legacy dump)"}});
      return outcome;
    }
    auto differences = compare_with_manifest(item.manifest, rows);
    for (auto& difference : compare_digests(item.manifest, restored))
      differences.push_back(std::move(difference));
    outcome["compared"] = item.manifest.contains("table_digests") ? "rows and fingerprints per table"
                          : item.manifest.contains("table_rows")  ? "rows per table"
                                                                  : "total rows";
    if (differences.empty())
      outcome.update({{"ok", true}, {"message", fmt::format("restored and matching the manifest ({})", outcome["compared"].get<std::string>())}});
    else outcome.update({{"ok", false}, {"message", core::join(differences, "; ")}});
  } catch (const Error& error) {
    outcome.update({{"ok", false}, {"message", error.what()}});
  }
  return outcome;
}

nlohmann::json drill_one(Context& context, mysql::Connection& connection, const DrillPlan::Item& item) {
  nlohmann::json outcome = dump_drill_one(context, connection, item);
  if (item.pitr_scratch.empty()) return outcome;
  nlohmann::json pitr = pitr_one(context, connection, item);
  bool ok = outcome["ok"].get<bool>() && pitr["ok"].get<bool>();
  std::string message = fmt::format("dump: {}; PITR: {}", outcome["message"].get<std::string>(),
                                    pitr["message"].get<std::string>());
  outcome.update({{"ok", ok}, {"message", message}, {"pitr", pitr}});
  return outcome;
}

Report execute_drill(Context& live, const DrillPlan& plan) {
  // Restored, compared and dropped on drill.server when it is set (the PITR drill never is).
  Context context(live, drill_settings(live.settings()));
  auto connection = context.connect();
  // The scratch databases are dropped on this connection: not in the binary log, as the restores
  // into them are not (a replica must never see them).
  connection.execute("SET SESSION sql_log_bin = 0");
  Report report;
  nlohmann::json databases = nlohmann::json::object();
  for (const auto& item : plan.items) {
    nlohmann::json outcome = drill_one(context, connection, item);
    bool ok = outcome["ok"].get<bool>();
    std::string message = outcome["message"].get<std::string>();
    if (ok) context.console().summary(fmt::format("drill {}: ok, {}", item.database, message));
    else {
      report.errors.push_back(fmt::format("drill {}: {}", item.database, message));
      context.console().error(report.errors.back());
    }
    databases[item.database] = std::move(outcome);
  }
  report.data["drill"] = databases;
  report.record_details = {{"databases", databases}};
  if (!report.errors.empty()) report.code = ExitCode::failed;
  return report;
}

}  // namespace

std::string DrillPlan::text() const {
  std::string text = fmt::format("restore drill: each newest historical dump into a scratch database{}, compared "
                                 "with its manifest, then dropped\n",
                                 server.empty() ? "" : " on drill.server " + server);
  for (const auto& item : items) {
    text += fmt::format("  {}: {} -> {}{}\n", core::printable(item.database), item.dump.empty() ? "NO DUMP" : item.dump,
                        item.scratch, item.manifest.is_null() ? " (no manifest: restore only)" : "");
    if (!item.pitr_scratch.empty())
      text += fmt::format("  {}: the newest PITR base and the binlogs up to the live database's position -> {}, "
                          "compared with the live tables\n",
                          core::printable(item.database), item.pitr_scratch);
  }
  return text;
}

nlohmann::json DrillPlan::json() const {
  nlohmann::json plan = nlohmann::json::array();
  for (const auto& item : items)
    plan.push_back({{"database", item.database}, {"dump", item.dump}, {"scratch", item.scratch},
                    {"has_manifest", !item.manifest.is_null()},
                    {"pitr_scratch", item.pitr_scratch.empty() ? nlohmann::json() : nlohmann::json(item.pitr_scratch)}});
  return {{"plan", plan}, {"server", server.empty() ? nlohmann::json() : nlohmann::json(server)}};
}

Command drill_command(const DrillOptions& options) {
  return make_command<DrillPlan>(
      "drill", false, options.dry_run, {},
      [options](Context& context, HeldLocks&) { return plan_drill(context, options); },
      [](Context& context, const DrillPlan& plan) { return execute_drill(context, plan); });
}

}  // namespace mysqlpitr::commands
