#include "binlog/event_type.hpp"

#include <array>
#include <string_view>

namespace mysqlpitr::binlog {

namespace {

constexpr std::array<std::string_view, 43> kMysqlNames = {
    "Unknown",          "Start_v3",          "Query",
    "Stop",             "Rotate",            "Intvar",
    "Load",             "Slave",             "Create_file",
    "Append_block",     "Exec_load",         "Delete_file",
    "New_load",         "Rand",              "User_var",
    "Format_desc",      "Xid",               "Begin_load_query",
    "Execute_load_query", "Table_map",       "Write_rows_v0",
    "Update_rows_v0",   "Delete_rows_v0",    "Write_rows_v1",
    "Update_rows_v1",   "Delete_rows_v1",    "Incident",
    "Heartbeat",        "Ignorable",         "Rows_query",
    "Write_rows",       "Update_rows",       "Delete_rows",
    "Gtid",             "Anonymous_Gtid",    "Previous_gtids",
    "Transaction_context", "View_change",    "XA_prepare",
    "Update_rows_partial", "Transaction_payload", "Heartbeat_v2",
    "Gtid_tagged"};

constexpr std::array<std::string_view, 13> kMariadbNames = {
    "Annotate_rows",            "Binlog_checkpoint",        "Gtid",
    "Gtid_list",                "Start_encryption",         "Query_compressed",
    "Write_rows_compressed_v1", "Update_rows_compressed_v1", "Delete_rows_compressed_v1",
    "Write_rows_compressed",    "Update_rows_compressed",   "Delete_rows_compressed",
    "Partial_row_data"};

}  // namespace

std::string type_name(std::uint8_t code) {
  if (code > 0 && code < kMysqlNames.size()) return std::string(kMysqlNames[code]);
  if (code >= type::annotate_rows && code - type::annotate_rows < int(kMariadbNames.size())) {
    return std::string(kMariadbNames[code - type::annotate_rows]);
  }
  return "Unknown_" + std::to_string(code);
}

bool rows_type(std::uint8_t code, RowsType& out) {
  switch (code) {
    case type::pre_ga_write_rows: out = {RowsKind::write, 0, false, false}; return true;
    case type::pre_ga_update_rows: out = {RowsKind::update, 0, false, false}; return true;
    case type::pre_ga_delete_rows: out = {RowsKind::del, 0, false, false}; return true;
    case type::write_rows_v1: out = {RowsKind::write, 1, false, false}; return true;
    case type::update_rows_v1: out = {RowsKind::update, 1, false, false}; return true;
    case type::delete_rows_v1: out = {RowsKind::del, 1, false, false}; return true;
    case type::write_rows: out = {RowsKind::write, 2, false, false}; return true;
    case type::update_rows: out = {RowsKind::update, 2, false, false}; return true;
    case type::delete_rows: out = {RowsKind::del, 2, false, false}; return true;
    case type::partial_update_rows: out = {RowsKind::update, 2, false, true}; return true;
    case type::write_rows_compressed_v1: out = {RowsKind::write, 1, true, false}; return true;
    case type::update_rows_compressed_v1: out = {RowsKind::update, 1, true, false}; return true;
    case type::delete_rows_compressed_v1: out = {RowsKind::del, 1, true, false}; return true;
    case type::write_rows_compressed: out = {RowsKind::write, 2, true, false}; return true;
    case type::update_rows_compressed: out = {RowsKind::update, 2, true, false}; return true;
    case type::delete_rows_compressed: out = {RowsKind::del, 2, true, false}; return true;
    default: return false;
  }
}

}  // namespace mysqlpitr::binlog
