#pragma once
// The server's side of a rotation: FLUSH BINARY LOGS, then which binlogs are closed and which one
// is active, and where their files are. The files are read directly from the server's folder:
// the tool runs on the database host.
#include <string>
#include <vector>

#include "archive/copy_plan.hpp"
#include "mysql/connection.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::archive {

struct ServerBinlogs {
  std::string folder;  // where the server writes them (folder of log_bin_basename, else datadir)
  std::string active;
  std::vector<SourceBinlog> closed;  // oldest first, sizes and times from the files themselves
};

// Closes the active binlog and opens the next one (needs RELOAD or BINLOG ADMIN).
void flush_binary_logs(mysql::Connection& connection);

// SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.4+) and SHOW BINARY LOGS; stats each closed
// file in the server's folder. Throws precondition_error when binary logging is off, and an error
// with the fix when the folder or a file cannot be read from here.
ServerBinlogs read_server_binlogs(mysql::Connection& connection, const mysql::ServerFacts& facts);

}  // namespace mysqlpitr::archive
