#include "commands/status_binlogs.hpp"

#include <algorithm>
#include <set>

#include "archive/stream_state.hpp"
#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {
namespace {


std::string binlog_file_name(const BinlogView& view, std::uint64_t number) {
  return fmt::format("{}.{:06}", view.prefix, number);
}

std::optional<std::uint64_t> number_of(const std::string& name) {
  auto parsed = binlog::parse_binlog_name(name);
  return parsed ? std::optional(parsed->sequence) : std::nullopt;
}

void read_archive(const std::string& folder, BinlogView& view, StatusFacts& status, crypto::KeyRing* keys) {
  binlog::ListOptions options;
  options.keys = keys;
  options.basename = view.prefix;
  binlog::Inventory inventory = binlog::list_binlogs(folder, options);
  if (view.prefix.empty()) view.prefix = inventory.basename;
  for (const auto& file : inventory.files) {
    view.archived.insert(file.number);
    view.newest = std::max(view.newest, file.number);
    if (auto last = file.summary.last_event_time)
      status.recovery.archived = std::max<std::time_t>(status.recovery.archived.value_or(0), *last);
  }
  for (const auto& gap : inventory.gaps) {
    auto after = number_of(gap.after), before = number_of(gap.before);
    if (after && before && *after + 1 == *before) view.damaged.push_back(gap);
  }
  for (const auto& warning : inventory.warnings) status.warnings.push_back(warning);
}

// Modes s3/both: the recorded binlogs of the bucket count as archived (in mode s3 rotate-binlogs
// keeps locally only those the server still holds).
void read_bucket_binlogs(const config::Settings& settings, BinlogView& view, StatusFacts& status) {
  if (!uses_bucket(repository_mode(settings))) return;
  try {
    auto bucket = open_bucket(settings, kBinlogBucketFolder);
    std::set<std::string> keys;
    for (const auto& object : bucket->list("")) keys.insert(object.key);
    for (const auto& key : keys) {
      auto parsed = binlog::parse_binlog_name(key);
      if (!parsed || !keys.contains(catalog::record_key(key))) continue;  // unrecorded: unfinished
      if (!view.prefix.empty() && parsed->prefix != view.prefix) continue;
      if (view.prefix.empty()) view.prefix = parsed->prefix;
      view.archived.insert(parsed->sequence);
      view.newest = std::max(view.newest, parsed->sequence);
      view.have_archive = true;
    }
  } catch (const Error& error) {
    status.problems.push_back({Severity::warning, "",
                               fmt::format("the bucket's binlogs could not be read: {}", error.what()),
                               "mysqlpitr check"});
  }
}

void read_server(const archive::ServerBinlogs& server, BinlogView& view, StatusFacts& status) {
  view.server_known = true;
  for (const auto& closed : server.closed)
    if (auto number = number_of(closed.name)) view.on_server.insert(*number);
  if (auto active = number_of(server.active)) {
    view.on_server.insert(*active);
    view.newest = std::max(view.newest, *active);
  }
  // The server's newest event: the last header of its active binlog, when readable from here.
  std::string path = io::join_path(server.folder, server.active);
  auto summary = binlog::scan_file(path);
  if (summary.last_event_time) status.recovery.server = *summary.last_event_time;
  else status.warnings.push_back(fmt::format("cannot read the server's newest event from {}: {}", path, summary.error));
}

void read_stream_state(const std::string& archive, StatusFacts& status) {
  try {
    status.stream = archive::read_stream_state(archive);
    if (status.stream.contains("last_event_time"))
      status.recovery.streamed = status.stream.at("last_event_time").get<std::time_t>();
  } catch (const std::exception& error) {
    status.warnings.push_back(fmt::format("the binlog stream's state is unreadable ({}): ignored", error.what()));
    status.stream = nullptr;
  }
}

void judge_stream(StatusFacts& status) {
  if (status.stream.is_null()) return;
  const std::string fix = "restart `mysqlpitr binlogs stream` (its systemd service) and read its log";
  std::string state = status.stream.value("state", "");
  std::string error = status.stream.value("error", "");
  if (state == "failed" || state == "stopped") {
    status.problems.push_back({Severity::warning, "",
                               fmt::format("the binlog stream is {}{}", state, error.empty() ? "" : ": " + error), fix});
    return;
  }
  std::time_t updated = status.stream.value("updated_at", std::time_t{0});
  if (status.now - updated > status.max_recovery_point)
    status.problems.push_back({Severity::warning, "",
                               fmt::format("the binlog stream ({}) has not updated its state since {}", state,
                                           core::format_datetime(updated)),
                               fix});
}

void judge_recovery_point(StatusFacts& status) {
  auto& recovery = status.recovery;
  if (!recovery.point || !recovery.server) return;
  recovery.lag_seconds = std::max<long long>(0, *recovery.server - *recovery.point);
  long long lag = *recovery.lag_seconds;
  if (lag <= status.max_recovery_point) return;
  Severity severity = lag > 2 * status.max_recovery_point ? Severity::critical : Severity::warning;
  status.problems.push_back(
      {severity, "",
       fmt::format("recovery point {} ({}) is {} behind the server's newest event ({}): a server lost now loses that",
                   core::format_datetime(*recovery.point), recovery.source, core::human_duration(static_cast<double>(lag)),
                   core::format_datetime(*recovery.server)),
       status.stream.is_null() ? "mysqlpitr rotate-binlogs (and schedule it: mysqlpitr-rotate-binlogs.timer)"
                               : "mysqlpitr rotate-binlogs, and check `mysqlpitr binlogs stream`"});
}

void judge_unarchived(const BinlogView& view, StatusFacts& status) {
  if (!view.have_archive || !view.server_known) return;
  std::vector<std::string> missing;
  std::uint64_t active = view.on_server.empty() ? 0 : *view.on_server.rbegin();
  for (auto number : view.on_server)
    if (number != active && !view.archived.contains(number)) missing.push_back(binlog_file_name(view, number));
  if (missing.empty()) return;
  status.problems.push_back({Severity::warning, "",
                             fmt::format("{} closed binlog(s) of the server not archived yet: {}", missing.size(),
                                         core::join(missing, ", ")),
                             "mysqlpitr rotate-binlogs"});
}

}  // namespace

BinlogView read_binlog_view(const config::Settings& settings, const std::optional<mysql::ServerFacts>& facts,
                            const std::optional<archive::ServerBinlogs>& server, StatusFacts& status,
                            crypto::KeyRing* keys) {
  BinlogView view;
  if (facts && facts->log_bin) view.prefix = facts->binlog_prefix();
  const std::string& archive = settings.paths.binlog_archive.value;
  view.have_archive = !archive.empty() && io::stat_entry(archive);
  if (view.have_archive) {
    status.binlog_source = archive;
    read_archive(archive, view, status, keys);
    read_stream_state(archive, status);
    read_bucket_binlogs(settings, view, status);
  } else if (server) {
    status.binlog_source = server->folder;
  }
  if (server) read_server(*server, view, status);
  auto& recovery = status.recovery;
  if (view.have_archive) {
    recovery.point = recovery.archived;
    recovery.source = "archive";
    if (recovery.streamed && (!recovery.point || *recovery.streamed > *recovery.point)) {
      recovery.point = recovery.streamed;
      recovery.source = "stream";
    }
  } else if (server) {
    recovery.point = recovery.server;
    recovery.source = "datadir";
    status.problems.push_back({Severity::warning, "",
                               archive.empty() ? "paths.binlog_archive is not set: the binlogs exist only in the "
                                                 "server's own folder, lost with its disk"
                                               : "the binlog archive " + archive + " does not exist",
                               archive.empty() ? "set paths.binlog_archive, then run mysqlpitr rotate-binlogs every 15 minutes"
                                               : "mkdir -p " + archive + " && mysqlpitr rotate-binlogs"});
  }
  judge_recovery_point(status);
  judge_stream(status);
  judge_unarchived(view, status);
  return view;
}

void check_continuity(const BinlogView& view, DatabaseStatus& database, std::vector<Problem>& problems) {
  if (!database.base || !database.base->coordinates) return;
  if (view.archived.empty() && view.on_server.empty()) return;
  const std::string& file = database.base->coordinates->file;
  const std::string fix = "mysqlpitr backup --kind pitr-base --db " + database.name +
                          " (PITR restarts from the new base; earlier changes only from historical dumps)";
  auto parsed = binlog::parse_binlog_name(file);
  if (!parsed || (!view.prefix.empty() && parsed->prefix != view.prefix)) {
    database.continuous = false;
    problems.push_back({Severity::critical, database.name,
                        fmt::format("its PITR base starts at {}, not a binlog of this server ({})", file, view.prefix), fix});
    return;
  }
  database.continuous = true;
  for (std::uint64_t number = parsed->sequence; number <= view.newest; ++number) {
    if (view.archived.contains(number) || view.on_server.contains(number)) continue;
    database.continuous = false;
    problems.push_back({Severity::critical, database.name,
                        fmt::format("binlog {} is neither archived nor on the server: no PITR from its base ({}) "
                                    "past that gap",
                                    binlog_file_name(view, number), file),
                        fix});
    return;
  }
  for (const auto& gap : view.damaged) {
    auto before = number_of(gap.before);
    if (!before || *before <= parsed->sequence) continue;
    database.continuous = false;
    problems.push_back({Severity::critical, database.name,
                        fmt::format("gap in the binlog archive between {} and {}: {}", gap.after, gap.before, gap.reason),
                        fix});
    return;
  }
}

}  // namespace mysqlpitr::commands
