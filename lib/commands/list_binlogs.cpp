#include "commands/list_binlogs.hpp"

#include <algorithm>
#include <future>

#include "commands/bucket_binlogs.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

std::string time_or_dash(const std::optional<std::uint32_t>& time) {
  return time ? core::format_datetime(*time) : "-";
}

nlohmann::json time_or_null(const std::optional<std::uint32_t>& time) {
  return time ? nlohmann::json(core::format_datetime(*time)) : nlohmann::json(nullptr);
}

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

nlohmann::json file_json(const binlog::BinlogFile& file, bool active) {
  const auto& summary = file.summary;
  nlohmann::json item = {{"name", file.name},
                         {"path", file.path},
                         {"size", summary.size},
                         {"first_event_time", time_or_null(summary.first_event_time)},
                         {"last_event_time", time_or_null(summary.last_event_time)},
                         {"server_id", summary.server_id},
                         {"server_version", summary.server_version},
                         {"events", summary.event_count},
                         {"in_use", summary.in_use},
                         {"encrypted", summary.encrypted_at_rest},
                         {"active", active}};
  if (summary.rotate_to) item["rotates_to"] = *summary.rotate_to;
  if (!summary.error.empty()) item["error"] = summary.error;
  return item;
}

// The closed binlogs of the server that the archive lacks (empty: the archive is current).
nlohmann::json missing_from_archive(const binlog::Inventory& inventory, const archive::ServerBinlogs& server) {
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& closed : server.closed) {
    bool found = std::any_of(inventory.files.begin(), inventory.files.end(),
                             [&](const binlog::BinlogFile& f) { return f.name == closed.name; });
    if (!found) missing.push_back(closed.name);
  }
  return missing;
}

}  // namespace

BinlogListing plan_list_binlogs(Context& context) {
  BinlogListing listing;
  const auto& settings = context.settings();  // loaded before the thread below reads it
  std::string archive = settings.paths.binlog_archive.value;
  // The server is asked on a thread while the archive's headers are read: on a busy host every
  // round trip waits for mariadbd to be scheduled. The scan guesses the basename (the most common
  // one), which is the server's unless the archive mixes basenames; then it is read again.
  binlog::ListOptions archive_options;
  archive_options.keys = context.key_ring();  // read before the thread below starts
  auto asking = std::async(std::launch::async, [&context] { return ask_server(context); });
  bool archive_exists = !archive.empty() && io::stat_entry(archive);
  if (archive_exists) listing.inventory = binlog::list_binlogs(archive, archive_options);
  listing.server = asking.get();
  const auto& facts = listing.server.facts;
  if (archive_exists && facts && !facts->log_bin_basename.empty() && facts->binlog_prefix() != listing.inventory.basename) {
    archive_options.basename = facts->binlog_prefix();
    listing.inventory = binlog::list_binlogs(archive, archive_options);
  }
  listing.from_archive = archive_exists && !listing.inventory.files.empty();
  if (!listing.from_archive) {
    if (!listing.server.binlogs) {
      const std::string& problem = listing.server.problem;
      throw precondition_error("no binlogs in the archive ({}) and the server's binlog folder is unknown: {}",
                               archive.empty() ? "paths.binlog_archive not set" : archive,
                               problem.empty() ? "binary logging is off" : problem);
    }
    binlog::ListOptions options;
    options.basename = facts->binlog_prefix();
    listing.inventory = binlog::list_binlogs(listing.server.binlogs->folder, options);
  }
  for (const auto& gap : listing.inventory.gaps)
    context.console().warning("gap between " + gap.after + " and " + gap.before + ": " + gap.reason);
  for (const auto& warning : listing.inventory.warnings) context.console().warning(warning);
  listing.bucket = list_bucket_binlogs(context);
  return listing;
}

nlohmann::json BinlogListing::json() const {
  const auto& binlogs = server.binlogs;
  nlohmann::json data = {{"source", inventory.source}, {"source_kind", from_archive ? "archive" : "server"},
                         {"binlogs", nlohmann::json::array()}, {"gaps", nlohmann::json::array()}};
  // Newest first, as every list is.
  for (auto it = inventory.files.rbegin(); it != inventory.files.rend(); ++it)
    data["binlogs"].push_back(file_json(*it, binlogs && it->name == binlogs->active));
  for (const auto& gap : inventory.gaps)
    data["gaps"].push_back({{"after", gap.after}, {"before", gap.before}, {"reason", gap.reason}});
  data["warnings"] = inventory.warnings;
  if (server.facts) data["binlog_format"] = server.facts->binlog_format;
  if (from_archive && binlogs) {
    nlohmann::json missing = missing_from_archive(inventory, *binlogs);
    data["archive_current"] = missing.empty();
    if (!missing.empty()) data["archive_missing"] = missing;
  }
  if (!server.problem.empty()) data["server_unreachable"] = server.problem;
  if (!bucket.is_null()) data["bucket"] = bucket;
  return data;
}

std::string BinlogListing::text() const {
  ui::TextTable table({"NAME", "SIZE", "FIRST EVENT", "LAST EVENT", "SERVER ID", "NOTE"});
  for (auto it = inventory.files.rbegin(); it != inventory.files.rend(); ++it) {
    const auto& summary = it->summary;
    bool active = server.binlogs && it->name == server.binlogs->active;
    std::string note = active ? "active" : summary.in_use ? "in use / not closed" : "";
    if (summary.encrypted) note = "encrypted by the server";
    if (summary.encrypted_at_rest) note = note.empty() ? "encrypted" : note + ", encrypted";
    if (!summary.error.empty()) note = "DAMAGED";
    table.add({it->name, core::human_size(summary.size), time_or_dash(summary.first_event_time),
               time_or_dash(summary.last_event_time), std::to_string(summary.server_id), note});
  }
  const auto& facts = server.facts;
  std::string header = fmt::format("binlogs in {} ({}){}", inventory.source, from_archive ? "archive" : "server folder",
                                   facts ? ", binlog_format " + facts->binlog_format : "");
  if (from_archive && server.binlogs)
    header += missing_from_archive(inventory, *server.binlogs).empty() ? ", archive current" : ", archive NOT current";
  return (table.empty() ? header + "\nno binlogs found" : header + "\n" + table.render()) + bucket_binlogs_text(bucket);
}

Command list_binlogs_command() { return make_listing<BinlogListing>("list binlogs", plan_list_binlogs); }

}  // namespace mysqlpitr::commands
