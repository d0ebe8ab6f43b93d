#pragma once
// The format description event (and the v3 Start event of 4.x servers): how to read the rest.
#include <cstddef>
#include <cstdint>

#include "binlog/event.hpp"

namespace mysqlpitr::binlog {

inline constexpr std::size_t kHeaderLength = 19;
inline constexpr std::size_t kChecksumLength = 4;
inline constexpr std::uint8_t kMagic[4] = {0xfe, 0x62, 0x69, 0x6e};

// Decodes a whole Format_description event (`event` = all its bytes, header included). The
// checksum algorithm byte sits just before the FDE's own 4-byte checksum in servers that know
// checksums (MySQL >= 5.6.1, MariaDB >= 5.3), whatever the algorithm: such an FDE is 5 bytes longer.
FormatDescription decode_format_description(const std::uint8_t* event, std::size_t size);

// A Start_v3 event (binlog versions 1-3, MySQL 3.23-4.x) gives a format with default lengths.
FormatDescription decode_start_v3(const std::uint8_t* event, std::size_t size);

// The format to assume before any FDE was seen (relay logs, files that start elsewhere).
FormatDescription default_format();

// Whether a server version string ("10.3.35-MariaDB-log", "8.0.40") writes the checksum byte.
bool version_has_checksum_byte(const std::string& server_version);

// zlib CRC32 of `size` bytes (the algorithm binlog_checksum=CRC32 uses).
std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size);

}  // namespace mysqlpitr::binlog
