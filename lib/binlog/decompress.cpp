#include <zlib.h>

#include <string>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"

namespace mysqlpitr::binlog {

std::string mariadb_uncompress(const std::uint8_t* data, std::size_t size, std::size_t* consumed) {
  Cursor in(data, size);
  std::uint8_t head = in.u8("compression header");
  if ((head & 0xe0) != 0x80) throw Corrupt("compressed block does not start with 0x8N");
  std::size_t length_bytes = head & 0x07;
  if (length_bytes < 1 || length_bytes > 4) throw Corrupt("compressed block length size invalid");
  std::size_t expected = in.uint_be(length_bytes, "uncompressed length");
  std::string out(expected, '\0');
  uLongf produced = expected;
  int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &produced, in.here(),
                      static_cast<uLong>(in.remaining()));
  if (rc != Z_OK || produced != expected) {
    throw Corrupt("zlib could not inflate compressed event data (" + std::to_string(rc) + ")");
  }
  *consumed = size;
  return out;
}

}  // namespace mysqlpitr::binlog
