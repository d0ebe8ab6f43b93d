#pragma once
// Byte-level edits of row-based events before they are sent in a BINLOG '...' statement: the
// table map's database for --into, the end-of-statement flag on the last row event kept from a
// statement, and the CRC32 that must then be recomputed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/event.hpp"

namespace mysqlpitr::pitr {

using Bytes = std::vector<std::uint8_t>;

// A copy of a Table_map event naming `database` instead; length and checksum fixed.
Bytes rewrite_table_map_database(const Bytes& raw, const binlog::FormatDescription& format, std::string_view database);

// Sets STMT_END_F on a row event (the server closes the statement's tables after it).
void set_statement_end(Bytes& raw, const binlog::FormatDescription& format);
bool has_statement_end(const Bytes& raw, const binlog::FormatDescription& format);

// Recomputes the trailing CRC32 when the format says events carry one.
void fix_checksum(Bytes& raw, const binlog::FormatDescription& format);

// An event from inside a Transaction_payload carries no checksum of its own: add one when the
// format expects it, so the server accepts it in a BINLOG statement.
void add_checksum(Bytes& raw, const binlog::FormatDescription& format);

std::string base64(const std::uint8_t* data, std::size_t size);

}  // namespace mysqlpitr::pitr
