#pragma once
// Body decoders, one family per file. `body` starts after the common header and ends before the
// checksum. They throw Corrupt on a length that leaves the event.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "binlog/event.hpp"

namespace mysqlpitr::binlog {

// Table maps seen so far in a file, by table id: row events need them to count rows.
using TableMaps = std::unordered_map<std::uint64_t, TableMapEvent>;

struct DecodeInput {
  const EventHeader& header;
  const std::uint8_t* body;
  std::size_t size;
  const FormatDescription& format;
};

// The 19-byte common header every event starts with.
EventHeader decode_header(const std::uint8_t* bytes);

Body decode_body(const DecodeInput& input, TableMaps& tables);

QueryEvent decode_query(const DecodeInput& input);
TableMapEvent decode_table_map(const DecodeInput& input);
RowsEvent decode_rows(const DecodeInput& input, const TableMaps& tables);
Body decode_gtid_family(const DecodeInput& input);

// MariaDB's compressed blocks (log_bin_compress): one header byte 0x8N, N bytes of big-endian
// uncompressed length, then a zlib stream.
std::string mariadb_uncompress(const std::uint8_t* data, std::size_t size, std::size_t* consumed);

// Packed value length in a row image for one column; throws Corrupt when out of bounds and
// std::invalid_argument for a type this reader cannot size.
std::size_t column_value_length(std::uint8_t type, std::uint16_t metadata, const std::uint8_t* value,
                                std::size_t available);

}  // namespace mysqlpitr::binlog
