#pragma once
// Event type codes of MySQL (0-42) and MariaDB (160-172), with the names the servers use.
#include <cstdint>
#include <string>

namespace mysqlpitr::binlog {

namespace type {
inline constexpr std::uint8_t start_v3 = 1, query = 2, stop = 3, rotate = 4, intvar = 5, load = 6,
                              slave = 7, create_file = 8, append_block = 9, exec_load = 10,
                              delete_file = 11, new_load = 12, rand = 13, user_var = 14,
                              format_description = 15, xid = 16, begin_load_query = 17,
                              execute_load_query = 18, table_map = 19, pre_ga_write_rows = 20,
                              pre_ga_update_rows = 21, pre_ga_delete_rows = 22, write_rows_v1 = 23,
                              update_rows_v1 = 24, delete_rows_v1 = 25, incident = 26,
                              heartbeat = 27, ignorable = 28, rows_query = 29, write_rows = 30,
                              update_rows = 31, delete_rows = 32, gtid = 33, anonymous_gtid = 34,
                              previous_gtids = 35, transaction_context = 36, view_change = 37,
                              xa_prepare = 38, partial_update_rows = 39, transaction_payload = 40,
                              heartbeat_v2 = 41, gtid_tagged = 42;
// MariaDB
inline constexpr std::uint8_t annotate_rows = 160, binlog_checkpoint = 161, mariadb_gtid = 162,
                              gtid_list = 163, start_encryption = 164, query_compressed = 165,
                              write_rows_compressed_v1 = 166, update_rows_compressed_v1 = 167,
                              delete_rows_compressed_v1 = 168, write_rows_compressed = 169,
                              update_rows_compressed = 170, delete_rows_compressed = 171,
                              partial_row_data = 172;
}  // namespace type

// The server's name of an event type ("Query", "Table_map", "Write_rows", "Gtid"...);
// "Unknown_<code>" for a code neither server defines.
std::string type_name(std::uint8_t code);

enum class RowsKind { write, update, del };

// Row event families: which kind, which version (0 pre-GA, 1, 2), compressed (MariaDB)?
struct RowsType {
  RowsKind kind;
  int version;
  bool compressed;
  bool partial_json;  // MySQL's Update_rows_partial
};
// Nullptr-like: returns false when `code` is not a row event.
bool rows_type(std::uint8_t code, RowsType& out);

}  // namespace mysqlpitr::binlog
