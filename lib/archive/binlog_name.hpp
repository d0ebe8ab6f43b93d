#pragma once
// Names of binlog files as the server writes them ("<prefix>.<NNNNNN>", prefix from
// log_bin_basename) and of the temporary copies this tool leaves while archiving one.
#include <optional>
#include <string>

namespace mysqlpitr::archive {

struct BinlogName {
  std::string prefix;             // "mysql-bin"
  unsigned long long number = 0;  // 42 of "mysql-bin.000042"
};

// "<prefix>.<digits>" as binlog::split_binlog_name reads it; nullopt for anything else, such as
// "mysql-bin.index" or a hidden file.
std::optional<BinlogName> parse_binlog_name(const std::string& name);

// The binlog name inside a temporary copy ".<name>.partial-XXXXXX", or nullopt.
std::optional<std::string> partial_copy_target(const std::string& name);

// Whether a precedes b in the server's sequence (same prefix: by number; else by prefix).
bool binlog_name_less(const std::string& a, const std::string& b);

}  // namespace mysqlpitr::archive
