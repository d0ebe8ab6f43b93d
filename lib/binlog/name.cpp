#include "binlog/name.hpp"

#include <algorithm>

namespace mysqlpitr::binlog {

std::optional<BinlogName> parse_binlog_name(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || name[0] == '.') return std::nullopt;
  // A name becomes a file of the archive and an object key: no folders, no control characters
  // (a doctored dump's coordinates or a hostile server's Rotate could carry "../").
  if (std::any_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      }))
    return std::nullopt;
  std::string digits = name.substr(dot + 1);
  if (digits.size() < 6 || digits.size() > 10 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return BinlogName{name.substr(0, dot), std::stoull(digits), digits.size()};
}

bool binlog_name_less(const std::string& a, const std::string& b) {
  auto pa = parse_binlog_name(a), pb = parse_binlog_name(b);
  if (pa && pb) {
    if (pa->prefix != pb->prefix) return pa->prefix < pb->prefix;
    return pa->sequence < pb->sequence;
  }
  return a < b;
}

}  // namespace mysqlpitr::binlog
