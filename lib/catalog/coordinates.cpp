#include "catalog/coordinates.hpp"

#include <regex>
#include <vector>

#include "crypto/open_input.hpp"
#include "io/input_stream.hpp"

namespace mysqlpitr::catalog {

std::optional<BinlogCoordinates> parse_coordinates(std::string_view header_text) {
  static const std::regex change_master(
      R"(CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE\s*=\s*'([^']+)'\s*,\s*(?:MASTER|SOURCE)_LOG_POS\s*=\s*(\d+))");
  static const std::regex mariadb_gtid(R"(gtid_slave_pos\s*=\s*'([^']*)')", std::regex::icase);
  static const std::regex mysql_gtid(R"(GTID_PURGED\s*=\s*(?:\+)?'([^']*)')", std::regex::icase);
  std::string text(header_text);
  std::smatch match;
  if (!std::regex_search(text, match, change_master)) return std::nullopt;
  BinlogCoordinates coordinates;
  coordinates.file = match[1].str();
  coordinates.position = std::stoull(match[2].str());
  if (std::regex_search(text, match, mariadb_gtid) || std::regex_search(text, match, mysql_gtid))
    coordinates.gtid = match[1].str();
  return coordinates;
}

std::optional<BinlogCoordinates> read_dump_coordinates(io::InputStream& stream) {
  // The comment sits in the first lines of the dump; 256 KiB leaves room for long headers.
  std::string head;
  std::vector<char> buffer(65536);
  while (head.size() < (256u << 10)) {
    size_t got = stream.read(buffer.data(), buffer.size());
    if (got == 0) break;
    head.append(buffer.data(), got);
    // Stop at the first data section: coordinates always precede the tables.
    if (head.find("-- Table structure") != std::string::npos) break;
  }
  return parse_coordinates(head);
}

}  // namespace mysqlpitr::catalog
