#pragma once
// Binlog file names as the server writes them: "<prefix>.<NNNNNN>", the prefix from
// log_bin_basename, at least six digits. The one place that reads them: listing, the archive,
// retention and the PITR chain all ask here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mysqlpitr::binlog {

struct BinlogName {
  std::string prefix;          // "mysql-bin"
  std::uint64_t sequence = 0;  // 42 of "mysql-bin.000042"
  std::size_t digits = 6;      // how many digits the name has (a name is rebuilt with as many)
};

// nullopt for anything that is not a binlog's name: "mysql-bin.index", hidden and temporary
// files (a leading '.'), fewer than six or more than ten digits, a path (a '/' or '\\') or
// control characters.
std::optional<BinlogName> parse_binlog_name(const std::string& name);

// Whether a precedes b in the server's sequence (same prefix: by number; else by prefix; names
// that are not binlogs' by text).
bool binlog_name_less(const std::string& a, const std::string& b);

}  // namespace mysqlpitr::binlog
