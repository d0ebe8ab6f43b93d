#include <string>

#include "binlog/bytes.hpp"
#include "binlog/decode.hpp"

namespace mysqlpitr::binlog {

namespace {

// Status variable codes (Q_*). MySQL and MariaDB agree on 0-13; MySQL continues at 14, MariaDB
// starts its own at 128.
void read_status(Cursor in, QueryStatus& status) {
  while (!in.empty()) {
    std::uint8_t code = in.u8();
    switch (code) {
      case 0: status.flags2 = in.u32("flags2"); break;
      case 1: status.sql_mode = in.u64("sql_mode"); break;
      case 2: {  // 5.0.0-5.0.3: length, text, NUL
        std::size_t length = in.u8();
        status.catalog = in.string(length, "catalog");
        in.skip(1, "catalog");
        break;
      }
      case 3:
        status.auto_increment_increment = in.u16();
        status.auto_increment_offset = in.u16();
        break;
      case 4:
        status.charset_client = in.u16();
        status.collation_connection = in.u16();
        status.collation_server = in.u16();
        break;
      case 5: status.time_zone = in.string(in.u8(), "time_zone"); break;
      case 6: status.catalog = in.string(in.u8(), "catalog"); break;
      case 7: status.lc_time_names = in.u16(); break;
      case 8: status.collation_database = in.u16(); break;
      case 9: status.table_map_for_update = in.u64(); break;
      case 10: status.master_data_written = in.u32(); break;
      case 11:
        status.invoker_user = in.string(in.u8(), "invoker user");
        status.invoker_host = in.string(in.u8(), "invoker host");
        break;
      case 12: {
        std::size_t count = in.u8();
        std::vector<std::string> names;
        if (count != 254) {  // OVER_MAX_DBS_IN_EVENT_MTS: too many to list
          for (std::size_t i = 0; i < count; ++i) names.push_back(in.cstring());
        }
        status.updated_db_names = std::move(names);
        break;
      }
      case 13: status.microseconds = static_cast<std::uint32_t>(in.uint(3)); break;
      case 14: in.skip(8, "commit_ts"); break;
      case 15: in.skip(8, "commit_ts2"); break;
      case 16: status.explicit_defaults_ts = in.u8() != 0; break;
      case 17: status.ddl_xid = in.u64(); break;
      case 18: status.default_collation_utf8mb4 = in.u16(); break;
      case 19: status.sql_require_primary_key = in.u8(); break;
      case 20: status.default_table_encryption = in.u8(); break;
      case 128: status.microseconds = static_cast<std::uint32_t>(in.uint(3)); break;  // Q_HRNOW
      case 129: status.xid = in.u64(); break;
      case 130: status.gtid_flags3 = in.u8(); break;
      case 131: {  // Q_CHARACTER_SET_COLLATIONS (MariaDB 11.2): count, then pairs
        std::size_t count = in.u8();
        in.skip(count * 4, "character set collations");
        break;
      }
      default:
        // The length of an unknown variable is unknown: stop, as the servers themselves do.
        status.unknown_code = code;
        return;
    }
  }
}

}  // namespace

QueryEvent decode_query(const DecodeInput& input) {
  const std::uint8_t code = input.header.type_code;
  const bool load = code == type::execute_load_query;
  Cursor in(input.body, input.size);
  QueryEvent query;
  query.compressed = code == type::query_compressed;
  std::size_t post = input.format.post_header(code, load ? 26 : 13);
  Cursor fixed(in.here(), post);
  in.skip(post, "query post-header");
  query.thread_id = fixed.u32();
  query.exec_time = fixed.u32();
  std::size_t db_length = fixed.u8();
  query.error_code = fixed.u16();
  std::size_t status_length = post >= 13 ? fixed.u16() : 0;
  if (load) query.load_file_id = fixed.u32();
  in.need(status_length, "status variables");
  read_status(Cursor(in.here(), status_length), query.status);
  in.skip(status_length);
  query.database = in.string(db_length, "database name");
  in.skip(1, "database name terminator");
  if (query.compressed) {
    std::size_t used = 0;
    query.sql = mariadb_uncompress(in.here(), in.remaining(), &used);
  } else {
    query.sql = in.rest_string();
  }
  return query;
}

}  // namespace mysqlpitr::binlog
