#include "archive/partial_copy_name.hpp"

#include "binlog/name.hpp"
#include "io/atomic_file.hpp"

namespace mysqlpitr::archive {

std::optional<std::string> partial_copy_target(const std::string& name) {
  auto marker = name.rfind(io::kTempMarker);
  if (name.size() < 2 || name[0] != '.' || marker == std::string::npos || marker < 2) return std::nullopt;
  std::string target = name.substr(1, marker - 1);
  if (!binlog::parse_binlog_name(target)) return std::nullopt;
  return target;
}

}  // namespace mysqlpitr::archive
