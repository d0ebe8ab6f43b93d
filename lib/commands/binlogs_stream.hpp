#pragma once
// `binlogs stream [--until-current] [--dry-run]`: continuous binlog archiving as a replica (issue
// 17). Connects with stream.server_id through Connector/C's replication API and writes the
// server's binlogs into paths.binlog_archive as they are written, byte for byte, starting where the
// archive ends (archive/stream_start.hpp). Each binlog is `<name>.streaming` until the server
// closes it, then verified, renamed and recorded as rotate-binlogs records its copies (and uploaded
// in repository modes s3/both). Reconnects with backoff after any connection loss and goes on from
// the last whole event; a binlog the server purged before it was streamed is exit 5. SIGTERM:
// synced, state "stopped", exit 0. --until-current: stops once it has what the server has.
#include <cstdint>
#include <string>

#include "archive/stream_start.hpp"
#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct BinlogsStreamOptions {
  bool until_current = false;
  bool dry_run = false;
};

inline constexpr const char* kStreamLockScope = "binlog-stream";

class StreamPlan : public Plan {
 public:
  BinlogsStreamOptions options;
  std::string archive_folder;
  std::string server;  // the connection, for messages
  std::uint32_t server_id = 0;
  std::int64_t sync_interval = 1;
  archive::ArchiveEnd end;
  archive::StreamStart start;

  std::string text() const override;
  nlohmann::json json() const override;
};

// The server_id this replica may use: stream.server_id set, not the server's own, not a
// registered replica's (SHOW SLAVE HOSTS). Throws a usage error naming the conflict.
std::uint32_t check_stream_server_id(const config::Settings& settings, mysql::Connection& connection);

// The server's binlogs by name (SHOW BINARY LOGS), oldest first, the one it writes last.
std::vector<std::string> server_binlog_names(mysql::Connection& connection);

StreamPlan plan_stream(Context& context, const BinlogsStreamOptions& options);
Report execute_stream(Context& context, const StreamPlan& plan);
Command binlogs_stream_command(const BinlogsStreamOptions& options);

}  // namespace mysqlpitr::commands
