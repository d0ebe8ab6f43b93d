#include "commands/binlogs_stream.hpp"

#include "archive/stream_file.hpp"
#include "binlog/name.hpp"
#include "commands/rotate_binlogs.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {

std::vector<std::string> server_binlog_names(mysql::Connection& connection) {
  std::vector<std::string> names;
  for (const auto& row : connection.rows("SHOW BINARY LOGS"))
    if (!row.empty() && row[0]) names.push_back(*row[0]);
  return names;
}

namespace {

std::string active_prefix(mysql::Connection& connection, const mysql::ServerFacts& facts) {
  auto name = binlog::parse_binlog_name(mysql::current_binlog(connection, facts));
  return name ? name->prefix : std::string();
}

}  // namespace

std::uint32_t check_stream_server_id(const config::Settings& settings, mysql::Connection& connection) {
  const auto& setting = settings.stream.server_id;
  if (setting.value <= 0)
    throw usage_error("stream.server_id is not set: binlogs stream connects as a replica and needs a server_id of its "
                      "own, distinct from the server's and from every other replica's; set it under [stream]");
  auto id = static_cast<std::uint32_t>(setting.value);
  std::string own = connection.scalar("SELECT @@server_id").value_or("");
  if (own == std::to_string(id))
    throw usage_error("stream.server_id = {} ({}) is the server's own server_id: choose another one", id, setting.origin);
  std::vector<std::vector<std::optional<std::string>>> replicas;
  try {
    replicas = connection.rows("SHOW SLAVE HOSTS");
  } catch (const Error&) {
    // Listing replicas needs REPLICATION MASTER ADMIN on MariaDB 10.5+: without it, unchecked.
  }
  for (const auto& row : replicas)
    if (!row.empty() && row[0] && *row[0] == std::to_string(id))
      throw usage_error("stream.server_id = {} ({}) is a registered replica's (SHOW SLAVE HOSTS, host {}): two replicas "
                        "with one server_id disconnect each other; choose another one",
                        id, setting.origin, row.size() > 1 && row[1] ? *row[1] : "?");
  return id;
}

StreamPlan plan_stream(Context& context, const BinlogsStreamOptions& options) {
  context.writing_key();  // a missing or exposed key file fails here, before the stream starts
  RotationTarget target = check_rotation_target(context);
  StreamPlan plan;
  plan.options = options;
  plan.archive_folder = target.archive_folder;
  plan.server = target.connection->options().describe();
  plan.server_id = check_stream_server_id(context.settings(), *target.connection);
  plan.sync_interval = context.settings().stream.sync_interval.value;
  plan.end = archive::find_archive_end(plan.archive_folder, active_prefix(*target.connection, target.facts),
                                       context.key_ring());
  plan.start = archive::plan_stream_start(plan.end, server_binlog_names(*target.connection));
  return plan;
}

std::string StreamPlan::text() const {
  std::string text = fmt::format("stream binlogs from {} as server_id {} into {}: from {} at byte {} ({}); fsync every {} s{}\n",
                                 server, server_id, archive_folder, start.file, start.position, start.reason, sync_interval,
                                 options.until_current ? "; stops once caught up" : "");
  for (const auto& stale : end.stale)
    text += fmt::format("  remove {} (its binlog is archived already)\n", archive::streaming_name(stale));
  return text;
}

nlohmann::json StreamPlan::json() const {
  return {{"archive", archive_folder}, {"server_id", server_id}, {"start_file", start.file},
          {"start_position", start.position}, {"reason", start.reason}, {"sync_interval", sync_interval},
          {"until_current", options.until_current}, {"dry_run", options.dry_run}};
}

Command binlogs_stream_command(const BinlogsStreamOptions& options) {
  return make_command<StreamPlan>(
      "binlogs stream", false, options.dry_run,
      [options](Context& context) {
        const std::string& folder = context.settings().paths.binlog_archive.value;
        if (folder.empty() || options.dry_run) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{{folder, kStreamLockScope, false, "another binlogs stream writes here", true}};
      },
      [options](Context& context, const HeldLocks&) { return plan_stream(context, options); }, execute_stream);
}

}  // namespace mysqlpitr::commands
