#pragma once
// status's view of the binlogs: which numbers the archive and the server hold, whether each base's
// chain continues to the server's current binlog, and the recovery point (status_facts.hpp).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archive/server_binlogs.hpp"
#include "binlog/sequence.hpp"
#include "commands/status_facts.hpp"
#include "config/settings.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {

struct BinlogView {
  std::string prefix;                   // the server's (else the archive's) basename
  bool have_archive = false;            // paths.binlog_archive set and present
  bool server_known = false;            // the server's binlogs were read
  std::set<std::uint64_t> archived;     // numbers in the archive
  std::set<std::uint64_t> on_server;    // closed and active on the server
  std::uint64_t newest = 0;             // the highest number known
  std::vector<binlog::Gap> damaged;     // archive gaps between adjacent numbers (a file cut short...)
};

// Reads the archive, the server's binlogs and the stream state; fills the recovery point, the
// stream and the problems that are not about one database.
BinlogView read_binlog_view(const config::Settings& settings, const std::optional<mysql::ServerFacts>& facts,
                            const std::optional<archive::ServerBinlogs>& server, StatusFacts& status,
                            crypto::KeyRing* keys = nullptr);

// Whether the binlogs continue from `database`'s base to the newest known one; problems name
// the missing file and the fix.
void check_continuity(const BinlogView& view, DatabaseStatus& database, std::vector<Problem>& problems);

}  // namespace mysqlpitr::commands
