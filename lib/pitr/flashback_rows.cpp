#include "pitr/flashback_rows.hpp"

#include <fmt/format.h>

#include <cstring>
#include <ctime>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"
#include "binlog/event_type.hpp"
#include "core/error.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::pitr {
namespace {

using binlog::Cursor;

enum : std::uint8_t {
  t_decimal = 0, t_tiny = 1, t_short = 2, t_long = 3, t_float = 4, t_double = 5, t_null = 6,
  t_timestamp = 7, t_longlong = 8, t_int24 = 9, t_date = 10, t_time = 11, t_datetime = 12,
  t_year = 13, t_newdate = 14, t_varchar = 15, t_bit = 16, t_timestamp2 = 17, t_datetime2 = 18,
  t_time2 = 19, t_json = 245, t_newdecimal = 246, t_enum = 247, t_set = 248, t_tiny_blob = 249,
  t_medium_blob = 250, t_long_blob = 251, t_blob = 252, t_var_string = 253, t_string = 254,
};

std::uint64_t big_endian(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t little_endian(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t(p[i]) << (8 * i);
  return v;
}

std::string hex(const std::uint8_t* p, std::size_t n) {
  if (n == 0) return "''";
  static const char digits[] = "0123456789ABCDEF";
  std::string out = "X'";
  out.reserve(n * 2 + 3);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  out += '\'';
  return out;
}

// The real type of a MYSQL_TYPE_STRING column (CHAR, ENUM or SET), from its metadata.
std::uint8_t string_real_type(std::uint16_t meta) {
  std::uint8_t real = meta >> 8;
  return real == t_enum || real == t_set ? real : std::uint8_t{t_string};
}

std::string fraction(std::uint64_t value, unsigned digits_stored, unsigned digits) {
  // `value` holds `digits_stored` decimal digits (2, 4 or 6); shown with `digits` (the column's).
  std::string text = fmt::format("{:0{}}", value, digits_stored);
  text.resize(6, '0');
  return digits == 0 ? "" : "." + text.substr(0, digits);
}

// DECIMAL in MySQL's binary format: groups of 9 digits in 4 big-endian bytes, partial groups
// in fewer, the sign in the first bit (negative numbers have every bit inverted).
std::string decimal_text(const std::uint8_t* p, unsigned precision, unsigned scale) {
  static constexpr unsigned dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  unsigned integral = precision - scale;
  unsigned int_full = integral / 9, int_part = integral % 9, frac_full = scale / 9, frac_part = scale % 9;
  std::size_t size = int_full * 4 + dig2bytes[int_part] + frac_full * 4 + dig2bytes[frac_part];
  std::vector<std::uint8_t> bytes(p, p + size);
  bool negative = (bytes[0] & 0x80) == 0;
  bytes[0] ^= 0x80;
  if (negative)
    for (auto& b : bytes) b = static_cast<std::uint8_t>(~b);
  std::size_t at = 0;
  std::string whole, part;
  if (dig2bytes[int_part]) {
    whole = std::to_string(big_endian(&bytes[at], dig2bytes[int_part]));
    at += dig2bytes[int_part];
  }
  for (unsigned i = 0; i < int_full; ++i, at += 4) whole += fmt::format("{:09}", big_endian(&bytes[at], 4));
  for (unsigned i = 0; i < frac_full; ++i, at += 4) part += fmt::format("{:09}", big_endian(&bytes[at], 4));
  if (dig2bytes[frac_part]) part += fmt::format("{:0{}}", big_endian(&bytes[at], dig2bytes[frac_part]), frac_part);
  auto first = whole.find_first_not_of('0');
  whole = first == std::string::npos ? "0" : whole.substr(first);
  return (negative ? "-" : "") + whole + (part.empty() ? "" : "." + part);
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// One column value as a SQL literal; `length` is set to the bytes it took.
std::string value_literal(std::uint8_t type, std::uint16_t meta, bool is_unsigned, const std::uint8_t* p,
                          std::size_t available, std::size_t& length) {
  length = binlog::column_value_length(type, meta, p, available);
  auto integer = [&](std::size_t n) {
    std::uint64_t raw = little_endian(p, n);
    if (is_unsigned || n == 8) {
      if (is_unsigned) return std::to_string(raw);
      return std::to_string(static_cast<std::int64_t>(raw));
    }
    std::uint64_t sign = std::uint64_t(1) << (8 * n - 1);
    std::int64_t value = (raw & sign) ? static_cast<std::int64_t>(raw) - static_cast<std::int64_t>(sign << 1)
                                      : static_cast<std::int64_t>(raw);
    return std::to_string(value);
  };
  switch (type) {
    case t_tiny: return integer(1);
    case t_short: return integer(2);
    case t_int24: return integer(3);
    case t_long: return integer(4);
    case t_longlong: return integer(8);
    case t_year: return p[0] == 0 ? "0" : std::to_string(1900 + p[0]);
    case t_float: {
      float f;
      std::memcpy(&f, p, 4);
      return fmt::format("{:.17g}", static_cast<double>(f));
    }
    case t_double: {
      double d;
      std::memcpy(&d, p, 8);
      return fmt::format("{:.17g}", d);
    }
    case t_newdecimal: return decimal_text(p, meta >> 8, meta & 0xff);
    case t_date:
    case t_newdate: {
      auto v = little_endian(p, 3);
      return quoted(fmt::format("{:04}-{:02}-{:02}", v >> 9, (v >> 5) & 15, v & 31));
    }
    case t_datetime: {
      auto v = little_endian(p, 8);
      return quoted(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", v / 10000000000ull, v / 100000000 % 100,
                                v / 1000000 % 100, v / 10000 % 100, v / 100 % 100, v % 100));
    }
    case t_datetime2: {
      std::uint64_t packed = big_endian(p, 5) - 0x8000000000ull;
      std::uint64_t ymd = packed >> 17, ym = ymd >> 5, hms = packed & 0x1ffff;
      std::size_t frac_bytes = (meta + 1) / 2;
      std::string frac = frac_bytes ? fraction(big_endian(p + 5, frac_bytes), frac_bytes * 2, meta) : "";
      return quoted(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", ym / 13, ym % 13, ymd & 31, hms >> 12,
                                (hms >> 6) & 63, hms & 63, frac));
    }
    case t_timestamp:
    case t_timestamp2: {
      std::time_t seconds = type == t_timestamp ? static_cast<std::time_t>(little_endian(p, 4))
                                                : static_cast<std::time_t>(big_endian(p, 4));
      std::size_t frac_bytes = type == t_timestamp2 ? (meta + 1) / 2 : 0;
      if (seconds == 0 && (frac_bytes == 0 || big_endian(p + 4, frac_bytes) == 0)) return "'0000-00-00 00:00:00'";
      std::tm utc{};
      gmtime_r(&seconds, &utc);
      std::string frac = frac_bytes ? fraction(big_endian(p + 4, frac_bytes), frac_bytes * 2, meta) : "";
      return quoted(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", utc.tm_year + 1900, utc.tm_mon + 1,
                                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, frac));
    }
    case t_time: {
      auto raw = little_endian(p, 3);
      std::int64_t v = (raw & 0x800000) ? static_cast<std::int64_t>(raw) - 0x1000000 : static_cast<std::int64_t>(raw);
      std::uint64_t a = static_cast<std::uint64_t>(v < 0 ? -v : v);
      return quoted(fmt::format("{}{:02}:{:02}:{:02}", v < 0 ? "-" : "", a / 10000, a / 100 % 100, a % 100));
    }
    case t_time2: {
      // As MySQL's my_time_packed_from_binary(): (seconds part << 24) + microseconds, signed.
      std::int64_t packed = 0;
      std::int64_t intpart = static_cast<std::int64_t>(big_endian(p, 3)) - 0x800000;
      if (meta == 0) {
        packed = intpart * (std::int64_t(1) << 24);
      } else if (meta <= 2) {
        std::int64_t frac = p[3];
        if (intpart < 0 && frac) { ++intpart; frac -= 0x100; }
        packed = intpart * (std::int64_t(1) << 24) + frac * 10000;
      } else if (meta <= 4) {
        std::int64_t frac = static_cast<std::int64_t>(big_endian(p + 3, 2));
        if (intpart < 0 && frac) { ++intpart; frac -= 0x10000; }
        packed = intpart * (std::int64_t(1) << 24) + frac * 100;
      } else {
        packed = static_cast<std::int64_t>(big_endian(p, 6)) - 0x800000000000ll;
      }
      bool negative = packed < 0;
      std::uint64_t a = static_cast<std::uint64_t>(negative ? -packed : packed);
      std::uint64_t hms = a >> 24, micro = a % (1 << 24);
      std::string frac = meta ? "." + fmt::format("{:06}", micro).substr(0, meta) : "";
      return quoted(fmt::format("{}{:02}:{:02}:{:02}{}", negative ? "-" : "", (hms >> 12) % (1 << 10), (hms >> 6) % 64,
                                hms % 64, frac));
    }
    case t_bit: return std::to_string(big_endian(p, length));
    case t_varchar:
    case t_var_string: {
      std::size_t prefix = meta < 256 ? 1 : 2;
      return hex(p + prefix, length - prefix);
    }
    case t_blob:
    case t_tiny_blob:
    case t_medium_blob:
    case t_long_blob: return hex(p + meta, length - meta);
    case t_string: {
      std::uint8_t real = meta >> 8;
      if (string_real_type(meta) != t_string) return std::to_string(little_endian(p, length));
      // As column_value_length(): two high bits of long CHAR lengths are folded into the type.
      std::size_t max = meta & 0xff;
      if ((real & 0x30) != 0x30) max |= std::size_t((real & 0x30) ^ 0x30) << 4;
      std::size_t prefix = max < 256 ? 1 : 2;
      return hex(p + prefix, length - prefix);
    }
    default: throw precondition_error("column type {} cannot be written back", type);
  }
}

bool all_set(const std::uint8_t* bits, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (!((bits[i / 8] >> (i % 8)) & 1)) return false;
  return true;
}

}  // namespace

std::string unsupported_column(const binlog::TableMapEvent& map) {
  for (std::size_t i = 0; i < map.column_types.size(); ++i) {
    std::uint8_t type = map.column_types[i];
    switch (type) {
      case t_tiny: case t_short: case t_int24: case t_long: case t_longlong: case t_year: case t_float:
      case t_double: case t_newdecimal: case t_date: case t_newdate: case t_datetime: case t_datetime2:
      case t_timestamp: case t_timestamp2: case t_time: case t_time2: case t_bit: case t_varchar:
      case t_var_string: case t_blob: case t_tiny_blob: case t_medium_blob: case t_long_blob: case t_string:
        continue;
      default:
        return fmt::format("column {} of {}.{} has type {} ({}), which flashback cannot write back", i + 1,
                           map.database, map.table, type, type == t_json ? "MySQL JSON" : "not supported");
    }
  }
  return {};
}

std::vector<RowChange> decode_row_changes(const binlog::Event& event, const binlog::TableMapEvent& map,
                                          const binlog::FormatDescription& format, const TableColumns& columns) {
  binlog::RowsType family{};
  binlog::rows_type(event.header.type_code, family);
  std::size_t checksum = event.payload_index == 0 && format.checksum == binlog::ChecksumAlg::crc32 ? 4 : 0;
  if (event.raw.size() < format.header_length + checksum) throw failure("row event at {} is cut", event.position);
  Cursor in(event.raw.data() + format.header_length, event.raw.size() - format.header_length - checksum);
  std::size_t post = format.post_header(event.header.type_code, family.version == 2 ? 10 : 8);
  in.uint(post == 6 ? 4 : 6, "table id");
  in.u16();
  if (family.version == 2) {
    std::size_t extra = in.u16("extra data length");
    in.skip(extra >= 2 ? extra - 2 : 0, "extra data");
  }
  std::size_t count = in.packed("column count");
  std::size_t bitmap = (count + 7) / 8;
  in.need(bitmap, "columns bitmap");
  const std::uint8_t* before_columns = in.here();
  in.skip(bitmap);
  const std::uint8_t* after_columns = before_columns;
  if (family.kind == binlog::RowsKind::update) {
    after_columns = in.here();
    in.skip(bitmap, "after-image columns bitmap");
  }
  std::string where = fmt::format("{}.{} (row event at {})", map.database, map.table, event.position);
  if (count != columns.names.size() || count != map.column_types.size())
    throw precondition_error("{}: {} columns logged, the table has {} now (a DDL since?)", where, count,
                             columns.names.size());
  if (!all_set(before_columns, count) || !all_set(after_columns, count))
    throw precondition_error("{}: a row image lacks columns (binlog_row_image is not FULL)", where);
  if (family.partial_json) throw precondition_error("{}: partial JSON update", where);
  std::string inflated;
  const std::uint8_t* data = in.here();
  std::size_t size = in.remaining();
  if (family.compressed) {
    std::size_t used = 0;
    inflated = binlog::mariadb_uncompress(data, size, &used);
    data = reinterpret_cast<const std::uint8_t*>(inflated.data());
    size = inflated.size();
  }
  auto image = [&](std::size_t& at, std::vector<std::string>& out) {
    std::size_t null_bytes = bitmap;
    if (at + null_bytes > size) throw failure("{}: row image cut", where);
    const std::uint8_t* nulls = data + at;
    at += null_bytes;
    for (std::size_t i = 0; i < count; ++i) {
      if ((nulls[i / 8] >> (i % 8)) & 1) {
        out.push_back("NULL");
        continue;
      }
      std::size_t used = 0;
      out.push_back(
          value_literal(map.column_types[i], map.column_metadata[i], columns.is_unsigned[i], data + at, size - at, used));
      at += used;
    }
  };
  std::vector<RowChange> changes;
  std::size_t at = 0;
  while (at < size) {
    RowChange change;
    change.kind = family.kind;
    if (family.kind == binlog::RowsKind::write) {
      image(at, change.after);
    } else {
      image(at, change.before);
      if (family.kind == binlog::RowsKind::update) image(at, change.after);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string undo_statement(const RowChange& change, const TableColumns& columns) {
  std::string table = mysql::quote_identifier(columns.database) + "." + mysql::quote_identifier(columns.table);
  // `=` and IS NULL rather than `<=>`, which the server does not look up by index in an UPDATE
  // or DELETE (each statement would scan the table). A string (a hex literal) is compared in the
  // column's collation by `=`, where 'oops' equals 'OOPS' and 'oops ': a row changed since only in
  // case or trailing spaces would match and be overwritten. The byte comparison after it makes
  // that change a conflict; the `=` before it keeps the index lookup. A BINARY(N) value is padded
  // back to the N bytes the row holds (binary_width).
  auto match = [&](const std::vector<std::string>& image) {
    std::string out;
    for (std::size_t i = 0; i < image.size(); ++i) {
      std::string column = mysql::quote_identifier(columns.names[i]);
      std::string value = image[i];
      std::size_t width = i < columns.binary_width.size() ? columns.binary_width[i] : 0;
      if (width > 0 && value == "''") value = "X''";  // the empty string: all padding
      if (value.starts_with("X'") && (value.size() - 3) / 2 < width)
        value.insert(value.size() - 1, 2 * (width - (value.size() - 3) / 2), '0');
      out += fmt::format("{}{} {}", i ? " AND " : "", column, value == "NULL" ? "IS NULL" : "= " + value);
      if (value.starts_with("X'")) out += fmt::format(" AND CAST({} AS BINARY) = {}", column, value);
    }
    return out;
  };
  switch (change.kind) {
    case binlog::RowsKind::write: return fmt::format("DELETE FROM {} WHERE {} LIMIT 1", table, match(change.after));
    case binlog::RowsKind::del: {
      std::string names, values;
      for (std::size_t i = 0; i < change.before.size(); ++i) {
        names += (i ? ", " : "") + mysql::quote_identifier(columns.names[i]);
        values += (i ? ", " : "") + change.before[i];
      }
      return fmt::format("INSERT INTO {} ({}) VALUES ({})", table, names, values);
    }
    case binlog::RowsKind::update: {
      if (change.before == change.after) return {};
      // Every column, the unchanged ones too: a column the statement does not assign would take
      // its ON UPDATE value (CURRENT_TIMESTAMP: the time of the undo), not the before image's.
      std::string set;
      for (std::size_t i = 0; i < change.before.size(); ++i)
        set += fmt::format("{}{} = {}", i ? ", " : "", mysql::quote_identifier(columns.names[i]), change.before[i]);
      return fmt::format("UPDATE {} SET {} WHERE {} LIMIT 1", table, set, match(change.after));
    }
  }
  return {};
}

}  // namespace mysqlpitr::pitr
