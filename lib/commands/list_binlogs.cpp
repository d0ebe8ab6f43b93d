#include "commands/list_binlogs.hpp"

#include <future>

#include "archive/server_binlogs.hpp"
#include "binlog/sequence.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

std::string time_or_dash(const std::optional<std::uint32_t>& time) {
  return time ? core::format_datetime(*time) : "-";
}

nlohmann::json time_or_null(const std::optional<std::uint32_t>& time) {
  return time ? nlohmann::json(core::format_datetime(*time)) : nlohmann::json(nullptr);
}

struct ServerView {
  std::optional<mysql::ServerFacts> facts;
  std::optional<archive::ServerBinlogs> binlogs;  // when binary logging is on
  std::string problem;                            // why the server could not be asked
};

ServerView ask_server(Context& context) {
  ServerView view;
  try {
    auto connection = context.connect();
    view.facts = mysql::read_server_facts(connection);
    if (view.facts->log_bin) view.binlogs = archive::read_server_binlogs(connection, *view.facts);
  } catch (const Error& error) {
    view.problem = error.what();
  }
  return view;
}

}  // namespace

Report run_list_binlogs(Context& context) {
  Report report;
  const auto& settings = context.settings();  // loaded before the thread below reads it
  std::string archive = settings.paths.binlog_archive.value;
  // The server is asked on a thread while the archive's headers are read: on a busy host every
  // round trip waits for mariadbd to be scheduled. The scan guesses the basename (the most common
  // one), which is the server's unless the archive mixes basenames; then it is read again.
  auto asking = std::async(std::launch::async, [&context] { return ask_server(context); });
  binlog::Inventory inventory;
  bool archive_exists = !archive.empty() && io::stat_entry(archive);
  if (archive_exists) inventory = binlog::list_binlogs(archive);
  ServerView answer = asking.get();
  const std::optional<mysql::ServerFacts>& facts = answer.facts;
  const std::optional<archive::ServerBinlogs>& server = answer.binlogs;
  const std::string& server_problem = answer.problem;
  if (archive_exists && facts && !facts->log_bin_basename.empty() && facts->binlog_prefix() != inventory.basename) {
    binlog::ListOptions options;
    options.basename = facts->binlog_prefix();
    inventory = binlog::list_binlogs(archive, options);
  }
  bool from_archive = archive_exists && !inventory.files.empty();
  if (!from_archive) {
    if (!server) {
      throw precondition_error("no binlogs in the archive ({}) and the server's binlog folder is unknown: {}",
                               archive.empty() ? "paths.binlog_archive not set" : archive,
                               server_problem.empty() ? "binary logging is off" : server_problem);
    }
    binlog::ListOptions options;
    options.basename = facts->binlog_prefix();
    inventory = binlog::list_binlogs(server->folder, options);
  }

  report.data["source"] = inventory.source;
  report.data["source_kind"] = from_archive ? "archive" : "server";
  report.data["binlogs"] = nlohmann::json::array();
  ui::TextTable table({"NAME", "SIZE", "FIRST EVENT", "LAST EVENT", "SERVER ID", "NOTE"});
  // Newest first, as every list is.
  for (auto it = inventory.files.rbegin(); it != inventory.files.rend(); ++it) {
    const auto& file = *it;
    const auto& summary = file.summary;
    bool active = server && file.name == server->active;
    nlohmann::json item = {{"name", file.name},
                           {"path", file.path},
                           {"size", summary.size},
                           {"first_event_time", time_or_null(summary.first_event_time)},
                           {"last_event_time", time_or_null(summary.last_event_time)},
                           {"server_id", summary.server_id},
                           {"server_version", summary.server_version},
                           {"events", summary.event_count},
                           {"in_use", summary.in_use},
                           {"active", active}};
    if (summary.rotate_to) item["rotates_to"] = *summary.rotate_to;
    if (!summary.error.empty()) item["error"] = summary.error;
    report.data["binlogs"].push_back(item);
    std::string note = active ? "active" : summary.in_use ? "in use / not closed" : "";
    if (summary.encrypted) note = "encrypted";
    if (!summary.error.empty()) note = "DAMAGED";
    table.add({file.name, core::human_size(summary.size), time_or_dash(summary.first_event_time),
               time_or_dash(summary.last_event_time), std::to_string(summary.server_id), note});
  }
  report.data["gaps"] = nlohmann::json::array();
  for (const auto& gap : inventory.gaps) {
    report.data["gaps"].push_back({{"after", gap.after}, {"before", gap.before}, {"reason", gap.reason}});
    context.console().warning("gap between " + gap.after + " and " + gap.before + ": " + gap.reason);
  }
  for (const auto& warning : inventory.warnings) context.console().warning(warning);
  report.data["warnings"] = inventory.warnings;
  if (facts) report.data["binlog_format"] = facts->binlog_format;
  if (from_archive && server) {
    // The archive is current when it holds every binlog the server has closed.
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& closed : server->closed) {
      bool found = std::any_of(inventory.files.begin(), inventory.files.end(),
                               [&](const binlog::BinlogFile& f) { return f.name == closed.name; });
      if (!found) missing.push_back(closed.name);
    }
    report.data["archive_current"] = missing.empty();
    if (!missing.empty()) report.data["archive_missing"] = missing;
  }
  if (!server_problem.empty()) report.data["server_unreachable"] = server_problem;
  std::string header = fmt::format("binlogs in {} ({}){}", inventory.source, from_archive ? "archive" : "server folder",
                                   facts ? ", binlog_format " + facts->binlog_format : "");
  if (report.data.contains("archive_current")) {
    header += report.data["archive_current"].get<bool>() ? ", archive current" : ", archive NOT current";
  }
  context.console().result(table.empty() ? header + "\nno binlogs found" : header + "\n" + table.render());
  return report;
}

}  // namespace mysqlpitr::commands
