#include "commands/job_results.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {
namespace {

constexpr const char* kPrefix = "job-";
constexpr const char* kSuffix = ".json";

// "backup historical" -> "job-backup-historical.json": a name safe in any folder.
std::string record_name(const std::string& job) {
  std::string name = kPrefix;
  for (char c : job) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    name += plain ? c : '-';
  }
  return name + kSuffix;
}

std::string one_line(const std::string& text) {
  std::string line;
  for (char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  return line;
}

JobResult parse_record(const nlohmann::json& document) {
  JobResult result;
  result.job = document.at("job").get<std::string>();
  result.started_at = document.at("started_at").get<std::time_t>();
  result.ended_at = document.at("ended_at").get<std::time_t>();
  result.duration_seconds = document.at("duration_seconds").get<double>();
  result.exit_code = document.at("exit_code").get<int>();
  result.error = document.value("error", "");
  result.last_success_at = document.value("last_success_at", std::time_t{0});
  if (document.contains("details")) result.details = document["details"];
  return result;
}

// The default state folder lies inside paths.historical, where no link is ever followed: a link
// there would have every run write outside the configured folders. A state_dir the operator set
// may be a link to a folder.
void ensure_folder(const std::string& folder, bool operator_named) {
  if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST)
    throw failure("cannot create the state folder {}: {}", folder, errno_text(errno));
  auto entry = operator_named ? io::stat_named(folder) : io::stat_entry(folder);
  if (!entry || entry->type != io::EntryType::directory)
    throw failure("{} is not a folder (a link or a file holds its name): move it away, or set monitoring.state_dir",
                  folder);
}

}  // namespace

std::string job_state_folder(const config::Settings& settings) {
  if (!settings.monitoring.state_dir.value.empty()) return settings.monitoring.state_dir.value;
  if (settings.paths.historical.value.empty()) return "";
  return io::join_path(settings.paths.historical.value, kStateFolderName);
}

nlohmann::json job_result_json(const JobResult& result) {
  nlohmann::json document = {{"version", 1},
                             {"job", result.job},
                             {"started_at", result.started_at},
                             {"ended_at", result.ended_at},
                             {"duration_seconds", result.duration_seconds},
                             {"exit_code", result.exit_code},
                             {"ok", result.exit_code == 0},
                             {"error", result.error},
                             {"last_success_at", result.last_success_at}};
  if (!result.details.is_null()) document["details"] = result.details;
  return document;
}

void record_job_result(const std::string& folder, JobResult result, bool operator_named) {
  ensure_folder(folder, operator_named);
  std::string path = io::join_path(folder, record_name(result.job));
  result.error = one_line(result.error);
  if (result.exit_code == 0) {
    result.last_success_at = result.ended_at;
  } else if (io::stat_entry(path)) {
    try {
      result.last_success_at = parse_record(nlohmann::json::parse(io::read_file(path))).last_success_at;
    } catch (const std::exception&) {
      // A damaged previous record only loses the last success time; this run's result still counts.
    }
  }
  io::AtomicFile file(path, 0640);
  file.write(job_result_json(result).dump(2) + "\n");
  file.commit();
}

std::vector<JobResult> read_job_results(const std::string& folder, std::vector<std::string>& warnings) {
  std::vector<JobResult> results;
  if (folder.empty() || !io::stat_entry(folder)) return results;
  for (const auto& entry : io::list_directory(folder)) {
    const std::string& name = entry.name;
    bool record = entry.type == io::EntryType::regular && name.starts_with(kPrefix) && name.ends_with(kSuffix);
    if (!record) continue;
    try {
      results.push_back(parse_record(nlohmann::json::parse(io::read_file(entry.path))));
    } catch (const std::exception& error) {
      warnings.push_back(fmt::format("job result {} is damaged ({}): skipped", entry.path, error.what()));
    }
  }
  return results;
}

}  // namespace mysqlpitr::commands
