#pragma once
// One binlog event as the reader hands it out: common header, where it sits in the file, its exact
// bytes (for BINLOG '...' statements), and the fields decoded from its body.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "binlog/event_type.hpp"

namespace mysqlpitr::binlog {

struct EventHeader {
  std::uint32_t timestamp = 0;
  std::uint8_t type_code = 0;
  std::uint32_t server_id = 0;
  std::uint32_t event_length = 0;
  std::uint32_t log_pos = 0;  // as written by the server (end position in v4; 0 inside payloads)
  std::uint16_t flags = 0;
};
inline constexpr std::uint16_t kFlagInUse = 0x1;       // LOG_EVENT_BINLOG_IN_USE_F on the FDE
inline constexpr std::uint16_t kFlagIgnorable = 0x80;  // LOG_EVENT_IGNORABLE_F

enum class ChecksumAlg : std::uint8_t { off = 0, crc32 = 1, undefined = 255 };

struct FormatDescription {
  std::uint16_t binlog_version = 4;
  std::string server_version;
  std::uint32_t create_timestamp = 0;
  std::uint8_t header_length = 19;
  std::vector<std::uint8_t> post_header_lengths;  // index: type code - 1
  ChecksumAlg checksum = ChecksumAlg::off;
  bool mariadb = false;
  // Post-header length for a type code, or `fallback` when the FDE does not list it.
  std::uint8_t post_header(std::uint8_t code, std::uint8_t fallback) const {
    return code >= 1 && code <= post_header_lengths.size() ? post_header_lengths[code - 1] : fallback;
  }
};

struct QueryStatus {
  std::optional<std::uint32_t> flags2;
  std::optional<std::uint64_t> sql_mode;
  std::optional<std::string> catalog;
  std::optional<std::uint16_t> auto_increment_increment, auto_increment_offset;
  std::optional<std::uint16_t> charset_client, collation_connection, collation_server;
  std::optional<std::string> time_zone;
  std::optional<std::uint16_t> lc_time_names;
  std::optional<std::uint16_t> collation_database;
  std::optional<std::uint64_t> table_map_for_update;
  std::optional<std::uint32_t> master_data_written;
  std::optional<std::string> invoker_user, invoker_host;
  std::optional<std::vector<std::string>> updated_db_names;  // empty: more than the server lists
  std::optional<std::uint32_t> microseconds;                 // MySQL Q_MICROSECONDS / MariaDB Q_HRNOW
  std::optional<bool> explicit_defaults_ts;
  std::optional<std::uint64_t> ddl_xid;
  std::optional<std::uint16_t> default_collation_utf8mb4;
  std::optional<std::uint8_t> sql_require_primary_key;
  std::optional<std::uint8_t> default_table_encryption;
  std::optional<std::uint64_t> xid;              // MariaDB Q_XID
  std::optional<std::uint8_t> gtid_flags3;       // MariaDB
  std::optional<std::uint8_t> unknown_code;      // parsing stopped at a code this reader does not know
};

struct QueryEvent {
  std::uint32_t thread_id = 0, exec_time = 0;
  std::uint16_t error_code = 0;
  QueryStatus status;
  std::string database;
  std::string sql;
  bool compressed = false;  // MariaDB Query_compressed
  // Execute_load_query only:
  std::optional<std::uint32_t> load_file_id;
};

struct TableMapEvent {
  std::uint64_t table_id = 0;
  std::uint16_t flags = 0;
  std::string database, table;
  std::vector<std::uint8_t> column_types;
  std::vector<std::uint16_t> column_metadata;  // one value per column, layout as the server stores it
  std::vector<bool> nullable;
  std::vector<std::uint8_t> optional_metadata;  // raw TLV block (MySQL 8, MariaDB 10.5+), if any
  bool without_metadata = false;                // written before 5.1.18: column sizes unknown
};

struct RowsEvent {
  RowsKind kind = RowsKind::write;
  int version = 1;
  bool compressed = false;
  std::uint64_t table_id = 0;
  std::uint16_t flags = 0;  // 1 = STMT_END_F
  std::uint64_t column_count = 0;
  std::optional<std::uint64_t> row_count;  // unset when the table map is missing or a type unknown
  std::string database, table;             // from the table map, when known
  bool partial_json = false;               // some row carries a JSON diff (Update_rows_partial)
  std::string row_count_problem;           // why row_count is unset
};

struct XidEvent { std::uint64_t xid = 0; };
struct RotateEvent { std::uint64_t position = 4; std::string next_file; };
struct IntvarEvent { std::uint8_t kind = 0; std::uint64_t value = 0; };  // 1 LAST_INSERT_ID, 2 INSERT_ID
struct RandEvent { std::uint64_t seed1 = 0, seed2 = 0; };
struct UserVarEvent {
  std::string name;
  bool is_null = true;
  std::uint8_t value_type = 0;  // 0 string, 1 real, 2 int, 4 decimal
  std::uint32_t charset = 0;
  std::string value;            // raw bytes as logged
  std::uint8_t flags = 0;       // 1 = unsigned
};
struct RowsQueryEvent { std::string query; };  // MySQL Rows_query and MariaDB Annotate_rows
struct GtidSetEvent { std::string gtid_set; };  // MySQL Previous_gtids, "uuid:1-5:7,uuid2:1-3"
struct MysqlGtidEvent {
  bool anonymous = false;
  std::uint8_t gtid_flags = 0;
  std::string gtid;  // "uuid:gno", empty when anonymous
  std::optional<std::int64_t> last_committed, sequence_number;
  std::optional<std::uint64_t> immediate_commit_us, original_commit_us, transaction_length;
  std::optional<std::uint32_t> immediate_server_version, original_server_version;
};
struct MariaGtidEvent {
  std::uint32_t domain_id = 0;
  std::uint64_t sequence = 0;
  std::uint8_t flags = 0;  // FL_STANDALONE 1, GROUP_COMMIT_ID 2, TRANSACTIONAL 4, DDL 32, XA 64/128
  std::optional<std::uint64_t> commit_id;
  std::string xa_xid;      // hex of gtrid+bqual for XA
  std::string gtid(std::uint32_t server_id) const {
    return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" + std::to_string(sequence);
  }
};
struct MariaGtid { std::uint32_t domain_id = 0, server_id = 0; std::uint64_t sequence = 0; };
struct GtidListEvent { std::vector<MariaGtid> gtids; std::uint32_t flags = 0; };
struct CheckpointEvent { std::string file; };
struct XaPrepareEvent { bool one_phase = false; std::uint32_t format_id = 0; std::string gtrid, bqual; };
struct IncidentEvent { std::uint16_t number = 0; std::string message; };
struct HeartbeatEvent { std::string log_ident; };
struct LoadBlockEvent { std::uint32_t file_id = 0; std::uint64_t block_length = 0; };  // Begin_load_query, Append_block, Delete_file...
struct TransactionPayloadEvent {
  std::uint64_t compression = 0;  // 0 zstd, 255 none
  std::uint64_t payload_size = 0, uncompressed_size = 0;
  std::uint32_t event_count = 0;  // filled once the inner events are read
};
struct StartEncryptionEvent { std::uint8_t scheme = 0; std::uint32_t key_version = 0; };
struct StopEvent {};
struct UnknownEvent {};  // a type code this reader does not decode; reported, never fatal

using Body = std::variant<UnknownEvent, FormatDescription, QueryEvent, TableMapEvent, RowsEvent,
                          XidEvent, RotateEvent, IntvarEvent, RandEvent, UserVarEvent,
                          RowsQueryEvent, GtidSetEvent, MysqlGtidEvent, MariaGtidEvent,
                          GtidListEvent, CheckpointEvent, XaPrepareEvent, IncidentEvent,
                          HeartbeatEvent, LoadBlockEvent, TransactionPayloadEvent,
                          StartEncryptionEvent, StopEvent>;

struct Event {
  EventHeader header;
  std::uint64_t position = 0;      // byte offset in the file (inner events: of their payload event)
  std::uint64_t end_position = 0;  // offset just past the event (inner events: past the payload)
  std::uint32_t payload_index = 0; // 0 top level; n >= 1: nth event inside a Transaction_payload
  bool checksum_verified = false;
  std::vector<std::uint8_t> raw;   // exact bytes; inner events: as decompressed
  Body body;

  std::string type_name() const { return binlog::type_name(header.type_code); }
  template <typename T> const T* as() const { return std::get_if<T>(&body); }
};

}  // namespace mysqlpitr::binlog
