#include "commands/status_textfile.hpp"

#include <map>
#include <vector>

#include "io/atomic_file.hpp"

namespace mysqlpitr::commands {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Label values escaped as the text format wants: backslash, double quote and newline.
std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// One metric family: HELP and TYPE once, then its samples.
class Family {
 public:
  Family(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  void add(const Labels& labels, double value) {
    std::string line = name_;
    if (!labels.empty()) {
      line += '{';
      for (size_t i = 0; i < labels.size(); ++i)
        line += fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first, escape_label(labels[i].second));
      line += '}';
    }
    samples_.push_back(fmt::format("{} {}", line, value));
  }
  std::string render() const {
    if (samples_.empty()) return {};
    std::string out = fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name_, help_, name_);
    for (const auto& sample : samples_) out += sample + "\n";
    return out;
  }

 private:
  std::string name_, help_;
  std::vector<std::string> samples_;
};

struct Families {
  Family status{"mysqlpitr_status", "Overall protection status: 0 ok, 1 warning, 2 critical."};
  Family problems{"mysqlpitr_problems", "Problems found, by severity."};
  Family server_up{"mysqlpitr_server_up", "1 when the MySQL/MariaDB server answered."};
  Family backup_time{"mysqlpitr_backup_timestamp_seconds", "Time of the newest backup of a database, by kind."};
  Family backup_age{"mysqlpitr_backup_age_seconds", "Age of the newest backup of a database, by kind."};
  Family backup_size{"mysqlpitr_backup_size_bytes", "Size of the newest backup of a database, by kind."};
  Family continuous{"mysqlpitr_binlog_chain_continuous",
                    "1 when the binlogs continue from the database's PITR base to the server's current binlog."};
  Family point{"mysqlpitr_recovery_point_timestamp_seconds", "Time of the newest archived or streamed binlog event."};
  Family server_newest{"mysqlpitr_server_newest_event_timestamp_seconds", "Time of the server's newest binlog event."};
  Family lag{"mysqlpitr_recovery_point_lag_seconds", "Server's newest event minus the recovery point."};
  Family job_run{"mysqlpitr_job_last_run_timestamp_seconds", "End of the job's last run."};
  Family job_duration{"mysqlpitr_job_last_duration_seconds", "Duration of the job's last run."};
  Family job_exit{"mysqlpitr_job_last_exit_code", "Exit code of the job's last run (0 done)."};
  Family job_success{"mysqlpitr_job_last_success_timestamp_seconds", "End of the job's last successful run."};
  Family drill_time{"mysqlpitr_drill_last_timestamp_seconds", "End of the database's last restore drill."};
  Family drill_ok{"mysqlpitr_drill_last_success", "1 when the database's last restore drill matched its manifest."};
  Family checked{"mysqlpitr_status_timestamp_seconds", "When these facts were gathered."};

  std::string render() const {
    std::string out;
    for (const Family* family : {&status, &problems, &server_up, &backup_time, &backup_age, &backup_size, &continuous,
                                 &point, &server_newest, &lag, &job_run, &job_duration, &job_exit, &job_success,
                                 &drill_time, &drill_ok, &checked})
      out += family->render();
    return out;
  }
};

void add_backup(Families& families, const StatusFacts& facts, const std::string& database, const std::string& kind,
                const catalog::BackupEntry& entry) {
  Labels labels = {{"database", database}, {"kind", kind}};
  families.backup_time.add(labels, static_cast<double>(entry.time));
  families.backup_age.add(labels, static_cast<double>(facts.now - entry.time));
  families.backup_size.add(labels, static_cast<double>(entry.size));
}

void add_databases(Families& families, const StatusFacts& facts) {
  for (const auto& database : facts.databases) {
    if (database.dump) add_backup(families, facts, database.name, database.engine == "mongo" ? "mongo" : "historical", *database.dump);
    if (database.base) add_backup(families, facts, database.name, "pitr-base", *database.base);
    if (database.continuous) families.continuous.add({{"database", database.name}}, *database.continuous ? 1 : 0);
    if (database.drill) {
      families.drill_time.add({{"database", database.name}}, static_cast<double>(database.drill->time));
      families.drill_ok.add({{"database", database.name}}, database.drill->ok ? 1 : 0);
    }
  }
  if (facts.schema) add_backup(families, facts, "", "schema", *facts.schema);
}

}  // namespace

std::string prometheus_text(const StatusFacts& facts) {
  Families families;
  families.status.add({}, static_cast<double>(facts.worst()));
  std::map<Severity, int> counts = {{Severity::warning, 0}, {Severity::critical, 0}};
  for (const auto& problem : facts.problems) ++counts[problem.severity];
  for (const auto& [severity, count] : counts) families.problems.add({{"severity", severity_name(severity)}}, count);
  families.server_up.add({}, facts.server_problem.empty() ? 1 : 0);
  add_databases(families, facts);
  const auto& recovery = facts.recovery;
  if (recovery.point) families.point.add({{"source", recovery.source}}, static_cast<double>(*recovery.point));
  if (recovery.server) families.server_newest.add({}, static_cast<double>(*recovery.server));
  if (recovery.lag_seconds) families.lag.add({}, static_cast<double>(*recovery.lag_seconds));
  for (const auto& job : facts.jobs) {
    Labels labels = {{"job", job.job}};
    families.job_run.add(labels, static_cast<double>(job.ended_at));
    families.job_duration.add(labels, job.duration_seconds);
    families.job_exit.add(labels, job.exit_code);
    if (job.last_success_at) families.job_success.add(labels, static_cast<double>(job.last_success_at));
  }
  families.checked.add({}, static_cast<double>(facts.now));
  return families.render();
}

void write_prometheus_file(const std::string& path, const StatusFacts& facts) {
  io::AtomicFile file(path, 0644);
  file.write(prometheus_text(facts));
  file.commit();
}

void update_status_textfile(Context& context) {
  write_prometheus_file(context.settings().monitoring.textfile.value, gather_status(context));
}

}  // namespace mysqlpitr::commands
