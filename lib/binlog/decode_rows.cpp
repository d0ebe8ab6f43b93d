#include <stdexcept>
#include <string>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"

namespace mysqlpitr::binlog {

namespace {

// Column type codes (enum_field_types) that matter for sizing.
enum : std::uint8_t {
  t_decimal = 0, t_tiny = 1, t_short = 2, t_long = 3, t_float = 4, t_double = 5, t_null = 6,
  t_timestamp = 7, t_longlong = 8, t_int24 = 9, t_date = 10, t_time = 11, t_datetime = 12,
  t_year = 13, t_newdate = 14, t_varchar = 15, t_bit = 16, t_timestamp2 = 17, t_datetime2 = 18,
  t_time2 = 19, t_varchar_compressed = 140, t_blob_compressed = 141, t_json = 245,
  t_newdecimal = 246, t_enum = 247, t_set = 248, t_tiny_blob = 249, t_medium_blob = 250,
  t_long_blob = 251, t_blob = 252, t_var_string = 253, t_string = 254, t_geometry = 255,
};

// Bytes of table-map metadata each column type carries.
std::size_t metadata_bytes(std::uint8_t type) {
  switch (type) {
    case t_float: case t_double: case t_blob: case t_tiny_blob: case t_medium_blob:
    case t_long_blob: case t_geometry: case t_json: case t_timestamp2: case t_datetime2:
    case t_time2: case t_blob_compressed:
      return 1;
    case t_varchar: case t_bit: case t_newdecimal: case t_string: case t_var_string:
    case t_enum: case t_set: case t_varchar_compressed:
      return 2;
    default:
      return 0;
  }
}

std::size_t decimal_bytes(unsigned precision, unsigned scale) {
  static constexpr std::size_t dig2bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  unsigned integral = precision - scale;
  return (integral / 9) * 4 + dig2bytes[integral % 9] + (scale / 9) * 4 + dig2bytes[scale % 9];
}

std::size_t prefixed(std::size_t prefix_bytes, const std::uint8_t* value, std::size_t available) {
  Cursor in(value, available);
  std::size_t length = in.uint(prefix_bytes, "value length");
  in.need(length, "column value");
  return prefix_bytes + length;
}

std::size_t popcount(const std::uint8_t* bits, std::size_t count) {
  std::size_t set = 0;
  for (std::size_t i = 0; i < count; ++i) set += (bits[i / 8] >> (i % 8)) & 1;
  return set;
}

}  // namespace

std::size_t column_value_length(std::uint8_t type, std::uint16_t meta, const std::uint8_t* value,
                                std::size_t available) {
  std::size_t length = 0;
  switch (type) {
    case t_tiny: case t_year: length = 1; break;
    case t_short: length = 2; break;
    case t_int24: case t_date: case t_newdate: case t_time: length = 3; break;
    case t_long: case t_timestamp: length = 4; break;
    case t_longlong: case t_datetime: length = 8; break;
    case t_float: case t_double: length = meta ? meta : (type == t_float ? 4 : 8); break;
    case t_null: length = 0; break;
    case t_timestamp2: length = 4 + (meta + 1) / 2; break;
    case t_datetime2: length = 5 + (meta + 1) / 2; break;
    case t_time2: length = 3 + (meta + 1) / 2; break;
    case t_newdecimal: length = decimal_bytes(meta >> 8, meta & 0xff); break;
    case t_bit: length = (meta >> 8) + ((meta & 0xff) ? 1 : 0); break;
    case t_varchar: case t_var_string: case t_varchar_compressed:
      return prefixed(meta < 256 ? 1 : 2, value, available);
    case t_blob: case t_tiny_blob: case t_medium_blob: case t_long_blob: case t_geometry:
    case t_json: case t_blob_compressed:
      if (meta < 1 || meta > 4) throw Corrupt("blob length size " + std::to_string(meta));
      return prefixed(meta, value, available);
    case t_string: case t_enum: case t_set: {
      // Metadata (real type, length), with two high bits of long CHAR lengths folded into the type.
      std::uint8_t real = meta >> 8, low = meta & 0xff;
      if (real == t_enum || real == t_set) {
        length = low;
      } else {
        std::size_t max = low;
        if ((real & 0x30) != 0x30) max |= std::size_t((real & 0x30) ^ 0x30) << 4;
        return prefixed(max < 256 ? 1 : 2, value, available);
      }
      break;
    }
    default:
      throw std::invalid_argument("column type " + std::to_string(type) + " cannot be sized");
  }
  if (length > available) throw Corrupt("column value runs past the end of the event");
  return length;
}

TableMapEvent decode_table_map(const DecodeInput& input) {
  Cursor in(input.body, input.size);
  TableMapEvent map;
  std::size_t post = input.format.post_header(type::table_map, 8);
  map.table_id = in.uint(post == 6 ? 4 : 6, "table id");
  map.flags = in.u16();
  map.database = in.string(in.u8(), "database name");
  in.skip(1, "database name terminator");
  map.table = in.string(in.u8(), "table name");
  in.skip(1, "table name terminator");
  std::size_t columns = in.packed("column count");
  in.need(columns, "column types");
  map.column_types.assign(in.here(), in.here() + columns);
  in.skip(columns);
  map.column_metadata.resize(columns, 0);
  if (in.empty()) {  // 5.1 before 5.1.18 wrote no metadata or null bitmap
    map.without_metadata = true;
    return map;
  }
  std::size_t meta_length = in.packed("metadata length");
  in.need(meta_length, "column metadata");
  Cursor meta(in.here(), meta_length);
  in.skip(meta_length);
  for (std::size_t i = 0; i < columns; ++i) {
    std::uint8_t column_type = map.column_types[i];
    switch (metadata_bytes(column_type)) {
      case 1: map.column_metadata[i] = meta.u8("column metadata"); break;
      case 2:
        if (column_type == t_varchar || column_type == t_varchar_compressed) {
          map.column_metadata[i] = meta.u16("column metadata");  // little-endian max length
        } else if (column_type == t_bit) {
          std::uint8_t bits = meta.u8(), bytes = meta.u8();
          map.column_metadata[i] = static_cast<std::uint16_t>((bytes << 8) | bits);
        } else {
          map.column_metadata[i] = static_cast<std::uint16_t>(meta.uint_be(2, "column metadata"));
        }
        break;
      default: break;
    }
  }
  std::size_t null_bytes = (columns + 7) / 8;
  if (in.remaining() >= null_bytes) {
    map.nullable.resize(columns);
    for (std::size_t i = 0; i < columns; ++i) map.nullable[i] = (in.here()[i / 8] >> (i % 8)) & 1;
    in.skip(null_bytes);
    map.optional_metadata.assign(in.here(), in.here() + in.remaining());
  }
  return map;
}

namespace {

// Walks one row image (null bitmap then values) and returns its size.
std::size_t image_length(const TableMapEvent& map, const std::uint8_t* present, std::size_t columns,
                         const std::uint8_t* data, std::size_t available) {
  std::size_t present_count = popcount(present, columns);
  std::size_t null_bytes = (present_count + 7) / 8;
  if (null_bytes > available) throw Corrupt("row null bitmap runs past the end of the event");
  const std::uint8_t* nulls = data;
  std::size_t at = null_bytes;
  std::size_t image_index = 0;
  for (std::size_t i = 0; i < columns; ++i) {
    if (!((present[i / 8] >> (i % 8)) & 1)) continue;
    bool is_null = (nulls[image_index / 8] >> (image_index % 8)) & 1;
    ++image_index;
    if (is_null) continue;
    if (i >= map.column_types.size() || i >= map.column_metadata.size()) {
      throw Corrupt("row names more columns than its table map");
    }
    at += column_value_length(map.column_types[i], map.column_metadata[i], data + at,
                              available - at);
  }
  return at;
}

std::size_t json_columns(const TableMapEvent& map) {
  std::size_t count = 0;
  for (auto column_type : map.column_types) count += column_type == t_json;
  return count;
}

}  // namespace

RowsEvent decode_rows(const DecodeInput& input, const TableMaps& tables) {
  RowsType family{};
  rows_type(input.header.type_code, family);
  RowsEvent rows;
  rows.kind = family.kind;
  rows.version = family.version;
  rows.compressed = family.compressed;
  Cursor in(input.body, input.size);
  std::size_t post = input.format.post_header(input.header.type_code, family.version == 2 ? 10 : 8);
  rows.table_id = in.uint(post == 6 ? 4 : 6, "table id");
  rows.flags = in.u16();
  if (family.version == 2) {
    std::size_t extra = in.u16("extra data length");
    if (extra < 2) throw Corrupt("rows event extra data length " + std::to_string(extra) + " < 2");
    in.need(extra - 2, "rows event extra data");
    Cursor info(in.here(), extra - 2);
    in.skip(extra - 2);
    // Extra row info is tagged: 0 = NDB data (length byte counting itself and a format byte),
    // 1 = partition ids (source partition too for updates). Anything else is damage.
    while (!info.empty()) {
      std::uint8_t tag = info.u8();
      if (tag == 0) {
        std::size_t length = info.u8("extra row info length");
        if (length < 2) throw Corrupt("extra row info length " + std::to_string(length) + " < 2");
        info.skip(length - 1, "extra row info");
      } else if (tag == 1) {
        info.skip(family.kind == RowsKind::update ? 4 : 2, "partition info");
      } else {
        throw Corrupt("unknown extra row info tag " + std::to_string(tag));
      }
    }
  }
  rows.column_count = in.packed("column count");
  std::size_t bitmap_bytes = (rows.column_count + 7) / 8;
  in.need(bitmap_bytes, "columns bitmap");
  const std::uint8_t* before_columns = in.here();
  in.skip(bitmap_bytes);
  const std::uint8_t* after_columns = before_columns;
  if (family.kind == RowsKind::update) {
    in.need(bitmap_bytes, "after-image columns bitmap");
    after_columns = in.here();
    in.skip(bitmap_bytes);
  }
  std::string inflated;
  const std::uint8_t* data = in.here();
  std::size_t size = in.remaining();
  if (family.compressed) {
    std::size_t used = 0;
    inflated = mariadb_uncompress(data, size, &used);
    data = reinterpret_cast<const std::uint8_t*>(inflated.data());
    size = inflated.size();
  }
  if (family.version == 0) {
    // 5.1.0-5.1.15 logged rows in the engine's record layout, not the packed one sized here.
    rows.row_count_problem = "pre-GA row format (MySQL 5.1 before 5.1.16)";
    return rows;
  }
  auto found = tables.find(rows.table_id);
  if (found == tables.end()) {
    rows.row_count_problem = "no table map for table id " + std::to_string(rows.table_id);
    return rows;
  }
  const TableMapEvent& map = found->second;
  rows.database = map.database;
  rows.table = map.table;
  if (rows.column_count > map.column_types.size()) {
    throw Corrupt("rows event has " + std::to_string(rows.column_count) +
                  " columns, its table map " + std::to_string(map.column_types.size()));
  }
  if (map.without_metadata) {
    for (auto column_type : map.column_types) {
      if (metadata_bytes(column_type) > 0) {
        rows.row_count_problem = "table map without column metadata (MySQL 5.1 before 5.1.18)";
        return rows;
      }
    }
  }
  std::size_t json_bits = family.partial_json ? (json_columns(map) + 7) / 8 : 0;
  try {
    std::uint64_t count = 0;
    std::size_t at = 0;
    while (at < size) {
      at += image_length(map, before_columns, rows.column_count, data + at, size - at);
      if (family.kind == RowsKind::update) {
        if (family.partial_json) {
          Cursor options(data + at, size - at);
          std::uint64_t value_options = options.packed("value options");
          at += options.offset();
          if (value_options & 1) {  // PARTIAL_JSON_UPDATES: one bit per JSON column follows
            rows.partial_json = true;
            if (json_bits > size - at) throw Corrupt("partial JSON bitmap past the end");
            at += json_bits;
          }
        }
        at += image_length(map, after_columns, rows.column_count, data + at, size - at);
      }
      ++count;
    }
    rows.row_count = count;
  } catch (const std::invalid_argument& unknown) {
    rows.row_count_problem = unknown.what();
  }
  return rows;
}

}  // namespace mysqlpitr::binlog
