#include "pitr/event_rewrite.hpp"

#include "binlog/event_type.hpp"
#include "binlog/format.hpp"
#include "core/error.hpp"

namespace mysqlpitr::pitr {
namespace {

bool has_crc(const binlog::FormatDescription& format) { return format.checksum == binlog::ChecksumAlg::crc32; }

void put_u32(Bytes& raw, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) raw[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// Table maps and row events start with a 6-byte table id, 4 bytes in very old servers (post
// header length 6 instead of 8).
std::size_t table_id_length(const binlog::FormatDescription& format, std::uint8_t type_code) {
  return format.post_header(type_code, 8) == 6 ? 4 : 6;
}

}  // namespace

void fix_checksum(Bytes& raw, const binlog::FormatDescription& format) {
  if (!has_crc(format) || raw.size() < binlog::kHeaderLength + 4) return;
  std::size_t body = raw.size() - 4;
  put_u32(raw, body, binlog::crc32_of(raw.data(), body));
}

void add_checksum(Bytes& raw, const binlog::FormatDescription& format) {
  if (!has_crc(format)) return;
  raw.resize(raw.size() + 4);
  put_u32(raw, 9, static_cast<std::uint32_t>(raw.size()));
  fix_checksum(raw, format);
}

Bytes rewrite_table_map_database(const Bytes& raw, const binlog::FormatDescription& format, std::string_view database) {
  if (database.size() > 255) throw usage_error("database name '{}' is too long for a table map", database);
  std::size_t at = format.header_length + table_id_length(format, binlog::type::table_map) + 2;
  if (raw.size() < at + 1 || raw.size() < at + 2 + raw[at]) throw failure("table map event too short to rewrite");
  std::size_t old_length = raw[at];
  Bytes out(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(at));
  out.push_back(static_cast<std::uint8_t>(database.size()));
  out.insert(out.end(), database.begin(), database.end());
  out.insert(out.end(), raw.begin() + static_cast<std::ptrdiff_t>(at + 1 + old_length), raw.end());
  put_u32(out, 9, static_cast<std::uint32_t>(out.size()));
  fix_checksum(out, format);
  return out;
}

bool has_statement_end(const Bytes& raw, const binlog::FormatDescription& format) {
  std::size_t at = format.header_length + table_id_length(format, raw[4]);
  return raw.size() > at + 1 && (raw[at] & 1) != 0;
}

void set_statement_end(Bytes& raw, const binlog::FormatDescription& format) {
  if (has_statement_end(raw, format)) return;
  std::size_t at = format.header_length + table_id_length(format, raw[4]);
  if (raw.size() <= at + 1) throw failure("row event too short to mark the end of its statement");
  raw[at] |= 1;
  fix_checksum(raw, format);
}

std::string base64(const std::uint8_t* data, std::size_t size) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < size; i += 3) {
    std::uint32_t v = (std::uint32_t(data[i]) << 16) | (std::uint32_t(data[i + 1]) << 8) | data[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i < size) {
    std::uint32_t v = std::uint32_t(data[i]) << 16;
    if (i + 1 < size) v |= std::uint32_t(data[i + 1]) << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < size ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace mysqlpitr::pitr
