#pragma once
// The binlog coordinates a PITR base is consistent with, as written in its header by
// `mysqldump --master-data=2` (and by our dumper in the same form):
//   -- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234;
// plus, where present, a GTID position (MariaDB `gtid_slave_pos`, MySQL `GTID_PURGED`).
#include <optional>
#include <string>
#include <string_view>

#include "crypto/key.hpp"

namespace mysqlpitr::io {
class InputStream;
}

namespace mysqlpitr::catalog {

struct BinlogCoordinates {
  std::string file;
  unsigned long long position = 0;
  std::string gtid;  // empty when the dump has none
};

std::optional<BinlogCoordinates> parse_coordinates(std::string_view header_text);

// Reads the head of a (plain, compressed or decrypted) dump's stream and parses its coordinates:
// only the first lines are read.
std::optional<BinlogCoordinates> read_dump_coordinates(io::InputStream& stream);

}  // namespace mysqlpitr::catalog
