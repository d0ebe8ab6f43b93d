#pragma once
// Each job's last result, recorded by the runner at its report step (commands/runner.cpp) and read
// by `status`: one small JSON file per job, `job-<name>.json`, in the state folder
// (monitoring.state_dir; default `<paths.historical>/.mysqlpitr-state`, beside the backups, a name
// no legacy glob matches), each written whole through io::AtomicFile.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/settings.hpp"

namespace mysqlpitr::commands {

struct JobResult {
  std::string job;  // the command's name: "backup historical", "rotate-binlogs", "prune", "drill"...
  std::time_t started_at = 0;
  std::time_t ended_at = 0;
  double duration_seconds = 0;
  int exit_code = 0;
  std::string error;               // the first error, on one line; empty when it succeeded
  std::time_t last_success_at = 0;  // this run's end when it succeeded, else the previous record's
  nlohmann::json details;          // what the job adds for status (drill: per database results)
};

inline constexpr const char* kStateFolderName = ".mysqlpitr-state";

// The state folder: monitoring.state_dir, else `<paths.historical>/.mysqlpitr-state`.
std::string job_state_folder(const config::Settings& settings);

// Writes the job's record (creating the state folder when its parent exists); keeps the previous
// record's last success when this run failed. Throws naming the file. `operator_named`: the folder
// is monitoring.state_dir (it may be a link to a folder), not the default inside paths.historical.
void record_job_result(const std::string& folder, JobResult result, bool operator_named);

// Every record in the folder (none when it does not exist); a damaged record is named in
// `warnings` and skipped.
std::vector<JobResult> read_job_results(const std::string& folder, std::vector<std::string>& warnings);

nlohmann::json job_result_json(const JobResult& result);

}  // namespace mysqlpitr::commands
