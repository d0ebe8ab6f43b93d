#include "binlog/format.hpp"

#include <zlib.h>

#include <cstdio>
#include <string>

#include "binlog/bytes.hpp"

namespace mysqlpitr::binlog {

namespace {

constexpr std::size_t kServerVersionLength = 50;

// Post-header lengths a v4 server of the 5.0 era declares, used for v3 files and as a fallback.
std::vector<std::uint8_t> classic_post_headers(bool v3) {
  std::vector<std::uint8_t> lengths(27, 0);
  lengths[type::start_v3 - 1] = 56;
  lengths[type::query - 1] = v3 ? 11 : 13;
  lengths[type::rotate - 1] = 8;
  lengths[type::load - 1] = 18;
  lengths[type::create_file - 1] = 4;
  lengths[type::append_block - 1] = 4;
  lengths[type::exec_load - 1] = 4;
  lengths[type::delete_file - 1] = 4;
  lengths[type::new_load - 1] = 18;
  lengths[type::format_description - 1] = 84;
  lengths[type::begin_load_query - 1] = 4;
  lengths[type::execute_load_query - 1] = 26;
  lengths[type::table_map - 1] = 8;
  for (auto code : {20, 21, 22, 23, 24, 25}) lengths[code - 1] = 8;
  lengths[type::incident - 1] = 2;
  return lengths;
}

// Both the FDE and the v3 Start event open with binlog version, server version, creation time.
FormatDescription read_start_fields(const std::uint8_t* event, std::size_t size, const char* what) {
  if (size < kHeaderLength + 2 + kServerVersionLength + 4) {
    throw Corrupt(std::string(what) + " too short (" + std::to_string(size) + " bytes)");
  }
  Cursor in(event + kHeaderLength, size - kHeaderLength);
  FormatDescription format;
  format.binlog_version = in.u16();
  std::string version = in.string(kServerVersionLength);
  format.server_version = version.substr(0, version.find('\0'));
  format.create_timestamp = in.u32();
  return format;
}

constexpr std::size_t kStartFieldsLength = 2 + kServerVersionLength + 4;

}  // namespace

bool version_has_checksum_byte(const std::string& server_version) {
  unsigned major = 0, minor = 0, patch = 0;
  if (std::sscanf(server_version.c_str(), "%u.%u.%u", &major, &minor, &patch) < 2) return false;
  unsigned long product = (major * 256UL + minor) * 256UL + patch;
  bool mariadb = server_version.find("MariaDB") != std::string::npos || major >= 10;
  unsigned long split = mariadb ? (5 * 256UL + 3) * 256UL : (5 * 256UL + 6) * 256UL + 1;
  return product >= split;
}

std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    uInt chunk = size > (1u << 30) ? (1u << 30) : static_cast<uInt>(size);
    crc = crc32(crc, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

FormatDescription decode_format_description(const std::uint8_t* event, std::size_t size) {
  FormatDescription format = read_start_fields(event, size, "format description event");
  Cursor in(event + kHeaderLength + kStartFieldsLength, size - kHeaderLength - kStartFieldsLength);
  format.header_length = in.u8("common header length");
  if (format.header_length < kHeaderLength) {
    throw Corrupt("format description declares a common header of " +
                  std::to_string(format.header_length) + " bytes (at least 19 expected)");
  }
  format.mariadb = format.server_version.find("MariaDB") != std::string::npos;
  std::size_t tail = 0;
  if (version_has_checksum_byte(format.server_version) && in.remaining() >= 1 + kChecksumLength) {
    tail = 1 + kChecksumLength;
    std::uint8_t alg = event[size - kChecksumLength - 1];
    if (alg != 0 && alg != 1) {
      throw Corrupt("format description names unknown checksum algorithm " + std::to_string(alg));
    }
    format.checksum = static_cast<ChecksumAlg>(alg);
  }
  std::size_t count = in.remaining() - tail;
  format.post_header_lengths.assign(in.here(), in.here() + count);
  return format;
}

FormatDescription decode_start_v3(const std::uint8_t* event, std::size_t size) {
  FormatDescription format = read_start_fields(event, size, "start event");
  if (format.binlog_version < 2) {
    // 3.23 wrote a 13-byte header; nothing still running writes it.
    throw Corrupt("binlog format version " + std::to_string(format.binlog_version) +
                  " (MySQL 3.23) is not supported");
  }
  format.post_header_lengths = classic_post_headers(true);
  return format;
}

FormatDescription default_format() {
  FormatDescription format;
  format.post_header_lengths = classic_post_headers(false);
  return format;
}

}  // namespace mysqlpitr::binlog
