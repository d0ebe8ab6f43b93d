#include "archive/binlog_name.hpp"

#include "binlog/sequence.hpp"
#include "io/atomic_file.hpp"

namespace mysqlpitr::archive {

std::optional<BinlogName> parse_binlog_name(const std::string& name) {
  auto parts = binlog::split_binlog_name(name);
  if (!parts) return std::nullopt;
  return BinlogName{parts->first, parts->second};
}

std::optional<std::string> partial_copy_target(const std::string& name) {
  auto marker = name.rfind(io::kTempMarker);
  if (name.size() < 2 || name[0] != '.' || marker == std::string::npos || marker < 2) return std::nullopt;
  std::string target = name.substr(1, marker - 1);
  if (!parse_binlog_name(target)) return std::nullopt;
  return target;
}

bool binlog_name_less(const std::string& a, const std::string& b) {
  auto pa = parse_binlog_name(a), pb = parse_binlog_name(b);
  if (pa && pb) {
    if (pa->prefix != pb->prefix) return pa->prefix < pb->prefix;
    return pa->number < pb->number;
  }
  return a < b;
}

}  // namespace mysqlpitr::archive
