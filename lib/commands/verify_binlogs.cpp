#include "commands/verify_binlogs.hpp"

#include <algorithm>
#include <thread>

#include "archive/binlog_check.hpp"
#include "binlog/name.hpp"
#include "binlog/sequence.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::commands {
namespace {

// Reading binlogs is bound by the disk and CRC32; a few threads keep a large archive fast
// without starving the server this usually runs beside.
constexpr unsigned kMaxThreads = 4;

VerifyOutcome outcome_of(const archive::BinlogCheck& check) {
  VerifyOutcome outcome{check.path, "binlog", check.ok, check.problem, nlohmann::json::object()};
  outcome.details = {{"size", check.size},
                     {"events", check.events},
                     {"crc32_checked", check.checksums},
                     {"checksum_checked", check.checked_against_record}};
  if (check.summary.first_event_time) outcome.details["first_event_time"] = *check.summary.first_event_time;
  if (check.summary.last_event_time) outcome.details["last_event_time"] = *check.summary.last_event_time;
  return outcome;
}

}  // namespace

bool accepts_binlog(const io::DirEntry& entry) {
  return entry.type == io::EntryType::regular && binlog::parse_binlog_name(entry.name).has_value();
}

void verify_binlogs(Context& context, const std::vector<io::DirEntry>& binlogs, VerifyResults& results) {
  if (binlogs.empty()) return;
  std::vector<std::string> paths;
  for (const io::DirEntry& entry : binlogs) paths.push_back(entry.path);
  context.console().progress(fmt::format("verifying {} binlogs", paths.size()));
  int jobs = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads));
  auto checks = archive::check_binlog_files(paths, jobs, context.key_ring());
  context.console().finish_progress();
  add_binlog_checks(checks, results);
}

void add_binlog_checks(const std::vector<archive::BinlogCheck>& checks, VerifyResults& results) {
  for (const auto& check : checks) {
    if (check.vanished)
      results.data()["skipped"].push_back(check.path + ": removed while verify ran (by retention or prune)");
    else
      results.add(outcome_of(check));
  }
  nlohmann::json& gaps = results.data()["gaps"];
  for (const auto& gap : archive::sequence_breaks(checks)) {
    gaps.push_back({{"folder", gap.folder}, {"after", gap.gap.after}, {"before", gap.gap.before}, {"reason", gap.gap.reason}});
    results.problem(fmt::format("{}: the binlog sequence is broken between {} and {}: {}", gap.folder, gap.gap.after,
                                gap.gap.before, gap.gap.reason));
  }
}

}  // namespace mysqlpitr::commands
