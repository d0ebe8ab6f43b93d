#pragma once
// `list binlogs`: the binlog sequence in the archive folder (paths.binlog_archive), or in the
// server's own folder when no archive is set or it holds none; first and last event times, server
// id, size, and the gaps. Reads event headers only, with a per-file cache.
#include <optional>
#include <string>

#include "archive/server_binlogs.hpp"
#include "binlog/sequence.hpp"
#include "commands/command.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {

// What the server said (or why it could not be asked).
struct ServerView {
  std::optional<mysql::ServerFacts> facts;
  std::optional<archive::ServerBinlogs> binlogs;  // when binary logging is on
  std::string problem;                            // why the server could not be asked
};

class BinlogListing : public Plan {
 public:
  binlog::Inventory inventory;
  ServerView server;
  bool from_archive = false;
  nlohmann::json bucket;  // modes s3/both: what the bucket holds (commands/bucket_binlogs)

  std::string text() const override;
  nlohmann::json json() const override;
};

// Reads the archive (or the server's folder) and asks the server; warns about gaps.
BinlogListing plan_list_binlogs(Context& context);
Command list_binlogs_command();

}  // namespace mysqlpitr::commands
