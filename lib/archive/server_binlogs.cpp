#include "archive/server_binlogs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {
namespace {

std::string active_binlog(mysql::Connection& connection, const mysql::ServerFacts& facts) {
  const char* statement = mysql::binary_log_status_statement(facts);
  auto rows = connection.rows(statement);
  if (rows.empty() || rows[0].empty() || !rows[0][0] || rows[0][0]->empty())
    throw precondition_error("the server reports no active binlog ({} is empty): binary logging is off; "
                             "set log_bin in the server's configuration and restart it", statement);
  return *rows[0][0];
}

std::string binlog_folder(const mysql::ServerFacts& facts) {
  if (!facts.log_bin_basename.empty()) return io::parent_path(facts.log_bin_basename);
  return facts.datadir;
}

[[noreturn]] void unreadable(const std::string& path, int error) {
  if (error == ENOENT)
    throw failure("the server's binlog {} does not exist on this machine: rotate-binlogs reads binlogs from the "
                  "server's files and must run on the database host", path);
  throw failure("cannot read the server's binlog {}: {}. rotate-binlogs reads binlogs from the server's files, so it "
                "must run on the database host as a user who can read them (add that user to the server's group, "
                "e.g. usermod -aG mysql USER, or run it as the mysql user)", path, errno_text(error));
}

}  // namespace

void flush_binary_logs(mysql::Connection& connection) { connection.execute("FLUSH BINARY LOGS"); }

ServerBinlogs read_server_binlogs(mysql::Connection& connection, const mysql::ServerFacts& facts) {
  if (!facts.log_bin)
    throw precondition_error("binary logging is off on the server (log_bin = OFF): there are no binlogs to archive; "
                             "set log_bin in the server's configuration and restart it");
  ServerBinlogs result;
  result.folder = binlog_folder(facts);
  result.active = active_binlog(connection, facts);
  if (::access(result.folder.c_str(), X_OK) != 0) unreadable(result.folder, errno);
  for (const auto& row : connection.rows("SHOW BINARY LOGS")) {
    if (row.empty() || !row[0]) continue;
    const std::string& name = *row[0];
    if (name == result.active) break;  // later names would be newer than the active one: none
    std::string path = io::join_path(result.folder, name);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) unreadable(path, errno);
    if (::access(path.c_str(), R_OK) != 0) unreadable(path, errno);
    result.closed.push_back({name, static_cast<unsigned long long>(st.st_size), st.st_mtim.tv_sec});
  }
  return result;
}

}  // namespace mysqlpitr::archive
