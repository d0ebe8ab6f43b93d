#include "commands/status.hpp"

#include "commands/status_textfile.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

std::string upper(const char* text) {
  std::string out = text;
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

nlohmann::json time_json(std::time_t time) { return {{"time", core::format_datetime(time)}, {"timestamp", time}}; }

nlohmann::json optional_time(const std::optional<std::time_t>& time) {
  return time ? nlohmann::json(*time) : nlohmann::json(nullptr);
}

nlohmann::json entry_json(const StatusFacts& facts, const std::optional<catalog::BackupEntry>& entry) {
  if (!entry) return nullptr;
  nlohmann::json item = time_json(entry->time);
  item["path"] = entry->path;
  item["size"] = entry->size;
  item["age_seconds"] = facts.now - entry->time;
  if (entry->coordinates) {
    item["coordinates"] = {{"file", entry->coordinates->file}, {"position", entry->coordinates->position}};
    if (!entry->coordinates->gtid.empty()) item["coordinates"]["gtid"] = entry->coordinates->gtid;
  }
  return item;
}

Severity database_severity(const StatusFacts& facts, const DatabaseStatus& database) {
  Severity worst = Severity::ok;
  for (const auto& problem : facts.problems)
    if (problem.database == database.name) worst = std::max(worst, problem.severity);
  return worst;
}

std::string age_text(const StatusFacts& facts, const std::optional<catalog::BackupEntry>& entry) {
  if (!entry) return "NONE";
  return fmt::format("{} ({} ago)", core::format_datetime(entry->time),
                     core::human_duration(static_cast<double>(facts.now - entry->time)));
}

std::string databases_text(const StatusFacts& facts) {
  ui::TextTable table({"DATABASE", "ENGINE", "NEWEST DUMP", "PITR BASE", "FROM BINLOG", "CONTINUOUS", "LAST DRILL", "STATE"});
  for (const auto& database : facts.databases) {
    std::string coordinates = "-";
    if (database.base)
      coordinates = database.base->coordinates
                        ? fmt::format("{}:{}", database.base->coordinates->file, database.base->coordinates->position)
                        : "MISSING";
    std::string continuous = !database.continuous ? "-" : *database.continuous ? "yes" : "NO";
    std::string drill = !database.drill ? "-"
                                        : fmt::format("{} {}", database.drill->ok ? "ok" : "FAILED",
                                                      core::format_datetime(database.drill->time));
    table.add({core::printable(database.name), database.engine, age_text(facts, database.dump),
               database.engine == "mongo" ? "-" : age_text(facts, database.base), coordinates, continuous, drill,
               upper(severity_name(database_severity(facts, database)))});
  }
  return table.empty() ? "no databases and no backups found\n" : table.render();
}

std::string recovery_text(const StatusFacts& facts) {
  const auto& recovery = facts.recovery;
  std::string text = "binlogs: " + (facts.binlog_source.empty() ? std::string("unknown") : facts.binlog_source);
  if (recovery.point) {
    text += fmt::format("; recovery point {} ({})", core::format_datetime(*recovery.point), recovery.source);
    if (recovery.lag_seconds)
      text += fmt::format(", {} behind the server's newest event", core::human_duration(static_cast<double>(*recovery.lag_seconds)));
  } else {
    text += "; recovery point unknown";
  }
  if (!facts.stream.is_null())
    text += fmt::format("\nstream: {}, last event {}, state updated {}", facts.stream.value("state", "?"),
                        core::format_datetime(facts.stream.value("last_event_time", std::time_t{0})),
                        core::format_datetime(facts.stream.value("updated_at", std::time_t{0})));
  return text + "\n";
}

std::string jobs_text(const StatusFacts& facts) {
  if (facts.jobs.empty()) return "jobs: no results recorded in " + facts.state_folder + "\n";
  ui::TextTable table({"JOB", "LAST RUN", "DURATION", "EXIT", "LAST SUCCESS"});
  for (const auto& job : facts.jobs)
    table.add({job.job, core::format_datetime(job.ended_at), core::human_duration(job.duration_seconds),
               std::to_string(job.exit_code), job.last_success_at ? core::format_datetime(job.last_success_at) : "never"});
  return table.render();
}

}  // namespace

nlohmann::json status_json(const StatusFacts& facts) {
  nlohmann::json data;
  data["status"] = severity_name(facts.worst());
  data["checked_at"] = time_json(facts.now);
  data["server"] = {{"reachable", facts.server_problem.empty()}, {"description", facts.server},
                    {"problem", facts.server_problem}};
  data["thresholds"] = {{"max_dump_age", facts.max_dump_age}, {"max_base_age", facts.max_base_age},
                        {"max_recovery_point", facts.max_recovery_point}};
  data["databases"] = nlohmann::json::array();
  for (const auto& database : facts.databases) {
    nlohmann::json item = {{"name", database.name},
                           {"engine", database.engine},
                           {"on_server", database.on_server},
                           {"dump", entry_json(facts, database.dump)},
                           {"base", entry_json(facts, database.base)},
                           {"continuous", database.continuous ? nlohmann::json(*database.continuous) : nlohmann::json(nullptr)},
                           {"last_drill", nullptr},
                           {"status", severity_name(database_severity(facts, database))}};
    if (database.drill)
      item["last_drill"] = {{"timestamp", database.drill->time}, {"ok", database.drill->ok}, {"message", database.drill->message}};
    data["databases"].push_back(item);
  }
  data["schema_dump"] = entry_json(facts, facts.schema);
  const auto& recovery = facts.recovery;
  data["binlog_source"] = facts.binlog_source;
  data["recovery_point"] = {{"timestamp", optional_time(recovery.point)},
                            {"source", recovery.source},
                            {"archived_timestamp", optional_time(recovery.archived)},
                            {"streamed_timestamp", optional_time(recovery.streamed)},
                            {"server_newest_timestamp", optional_time(recovery.server)},
                            {"lag_seconds", recovery.lag_seconds ? nlohmann::json(*recovery.lag_seconds) : nlohmann::json(nullptr)}};
  data["stream"] = facts.stream;
  data["state_folder"] = facts.state_folder;
  data["jobs"] = nlohmann::json::array();
  for (const auto& job : facts.jobs) data["jobs"].push_back(job_result_json(job));
  data["problems"] = nlohmann::json::array();
  for (const auto& problem : facts.problems)
    data["problems"].push_back({{"severity", severity_name(problem.severity)},
                                {"database", problem.database},
                                {"message", problem.message},
                                {"fix", problem.fix}});
  data["warnings"] = facts.warnings;
  return data;
}

std::string StatusReport::text() const {
  const auto& f = facts;
  std::string text = fmt::format("status: {} ({} critical, {} warning)\n", upper(severity_name(f.worst())),
                                 std::count_if(f.problems.begin(), f.problems.end(), [](const Problem& p) { return p.severity == Severity::critical; }),
                                 std::count_if(f.problems.begin(), f.problems.end(), [](const Problem& p) { return p.severity == Severity::warning; }));
  text += f.server_problem.empty() ? "server: " + f.server + "\n" : "server: UNREACHABLE (" + f.server_problem + ")\n";
  text += databases_text(f) + recovery_text(f) + jobs_text(f);
  if (!f.problems.empty()) text += "problems:\n";
  for (const auto& problem : f.problems)
    text += fmt::format("  {:<8} {}{}\n           fix: {}\n", upper(severity_name(problem.severity)),
                        problem.database.empty() ? "" : core::printable(problem.database) + ": ", problem.message, problem.fix);
  for (const auto& warning : f.warnings) text += "note: " + warning + "\n";
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

nlohmann::json StatusReport::json() const { return status_json(facts); }

std::vector<std::string> StatusReport::problems() const {
  std::vector<std::string> lines;
  for (const auto& problem : facts.problems)
    lines.push_back(fmt::format("{}: {}{} (fix: {})", severity_name(problem.severity),
                                problem.database.empty() ? "" : problem.database + ": ", problem.message, problem.fix));
  return lines;
}

ExitCode StatusReport::listing_code() const {
  switch (facts.worst()) {
    case Severity::ok: return ExitCode::ok;
    case Severity::warning: return ExitCode::warning;
    case Severity::critical: return ExitCode::critical;
  }
  return ExitCode::ok;
}

Command status_command(const StatusOptions& options) {
  return make_listing<StatusReport>("status", [options](Context& context) {
    StatusReport report;
    report.facts = gather_status(context);
    if (!options.prometheus.empty())
      with_context("--prometheus " + options.prometheus, [&] { write_prometheus_file(options.prometheus, report.facts); });
    return report;
  });
}

}  // namespace mysqlpitr::commands
