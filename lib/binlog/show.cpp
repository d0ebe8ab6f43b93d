#include "binlog/show.hpp"

#include <fmt/format.h>

#include "core/time.hpp"

namespace mysqlpitr::binlog {

namespace {

std::string gtid_text(const MariaGtid& g) {
  return fmt::format("{}-{}-{}", g.domain_id, g.server_id, g.sequence);
}

const char* rows_kind(RowsKind kind) {
  return kind == RowsKind::write ? "write" : kind == RowsKind::update ? "update" : "delete";
}

// Long statements are shortened on the human line; JSON carries them whole.
std::string one_line(const std::string& text, std::size_t limit) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (flat.size() > limit) flat = flat.substr(0, limit) + "...";
  return flat;
}

}  // namespace

std::string event_database(const Event& event) {
  if (auto* query = event.as<QueryEvent>()) return query->database;
  if (auto* map = event.as<TableMapEvent>()) return map->database;
  if (auto* rows = event.as<RowsEvent>()) return rows->database;
  return {};
}

Verdict judge(const Event& event, const ShowFilter& filter) {
  if (event.header.type_code == type::format_description) return Verdict::show;
  if (event.payload_index == 0) {
    if (filter.stop_position && event.position >= *filter.stop_position) return Verdict::stop;
    if (filter.stop_time && event.header.timestamp >= *filter.stop_time) return Verdict::stop;
  }
  if (filter.start_position && event.position < *filter.start_position) return Verdict::skip;
  if (filter.start_time && event.header.timestamp < *filter.start_time) return Verdict::skip;
  if (!filter.database.empty()) {
    std::string database = event_database(event);
    if (!database.empty() && database != filter.database) return Verdict::skip;
  }
  return Verdict::show;
}

nlohmann::json event_json(const Event& event) {
  nlohmann::json out = {{"position", event.position},
                        {"end_position", event.end_position},
                        {"type", event.type_name()},
                        {"type_code", event.header.type_code},
                        {"timestamp", core::format_datetime(event.header.timestamp)},
                        {"unix_timestamp", event.header.timestamp},
                        {"server_id", event.header.server_id},
                        {"flags", event.header.flags}};
  if (event.payload_index > 0) out["payload_index"] = event.payload_index;
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, FormatDescription>) {
          out["server_version"] = body.server_version;
          out["binlog_version"] = body.binlog_version;
          out["checksum"] = body.checksum == ChecksumAlg::crc32 ? "CRC32" : "NONE";
        } else if constexpr (std::is_same_v<T, QueryEvent>) {
          out["database"] = body.database;
          out["sql"] = body.sql;
          out["thread_id"] = body.thread_id;
          out["exec_time"] = body.exec_time;
          out["error_code"] = body.error_code;
          if (body.status.sql_mode) out["sql_mode"] = *body.status.sql_mode;
          if (body.status.time_zone) out["time_zone"] = *body.status.time_zone;
          if (body.status.charset_client) out["charset_client"] = *body.status.charset_client;
          if (body.status.microseconds) out["microseconds"] = *body.status.microseconds;
          if (body.status.xid) out["xid"] = *body.status.xid;
          if (body.status.ddl_xid) out["xid"] = *body.status.ddl_xid;
        } else if constexpr (std::is_same_v<T, TableMapEvent>) {
          out["database"] = body.database;
          out["table"] = body.table;
          out["table_id"] = body.table_id;
          out["columns"] = body.column_types.size();
        } else if constexpr (std::is_same_v<T, RowsEvent>) {
          out["table_id"] = body.table_id;
          if (!body.table.empty()) {
            out["database"] = body.database;
            out["table"] = body.table;
          }
          out["rows_kind"] = rows_kind(body.kind);
          out["rows"] = body.row_count ? nlohmann::json(*body.row_count) : nlohmann::json(nullptr);
          out["statement_end"] = (body.flags & 1) != 0;
          if (body.partial_json) out["partial_json"] = true;
          if (!body.row_count_problem.empty()) out["rows_unknown_because"] = body.row_count_problem;
        } else if constexpr (std::is_same_v<T, XidEvent>) {
          out["xid"] = body.xid;
        } else if constexpr (std::is_same_v<T, RotateEvent>) {
          out["next_file"] = body.next_file;
          out["next_position"] = body.position;
        } else if constexpr (std::is_same_v<T, MysqlGtidEvent>) {
          if (!body.anonymous) out["gtid"] = body.gtid;
          if (body.last_committed) out["last_committed"] = *body.last_committed;
          if (body.sequence_number) out["sequence_number"] = *body.sequence_number;
        } else if constexpr (std::is_same_v<T, MariaGtidEvent>) {
          out["gtid"] = body.gtid(event.header.server_id);
          out["standalone"] = (body.flags & 1) != 0;
          if (body.flags & 32) out["ddl"] = true;
          if (body.commit_id) out["commit_id"] = *body.commit_id;
        } else if constexpr (std::is_same_v<T, GtidListEvent>) {
          out["gtids"] = nlohmann::json::array();
          for (const auto& g : body.gtids) out["gtids"].push_back(gtid_text(g));
        } else if constexpr (std::is_same_v<T, GtidSetEvent>) {
          out["gtid_set"] = body.gtid_set;
        } else if constexpr (std::is_same_v<T, CheckpointEvent>) {
          out["file"] = body.file;
        } else if constexpr (std::is_same_v<T, RowsQueryEvent>) {
          out["sql"] = body.query;
        } else if constexpr (std::is_same_v<T, IntvarEvent>) {
          out["variable"] = body.kind == 1 ? "LAST_INSERT_ID" : "INSERT_ID";
          out["value"] = body.value;
        } else if constexpr (std::is_same_v<T, RandEvent>) {
          out["seed1"] = body.seed1;
          out["seed2"] = body.seed2;
        } else if constexpr (std::is_same_v<T, UserVarEvent>) {
          out["name"] = body.name;
          out["is_null"] = body.is_null;
        } else if constexpr (std::is_same_v<T, XaPrepareEvent>) {
          out["one_phase"] = body.one_phase;
        } else if constexpr (std::is_same_v<T, IncidentEvent>) {
          out["incident"] = body.number;
          out["message"] = body.message;
        } else if constexpr (std::is_same_v<T, TransactionPayloadEvent>) {
          out["compression"] = body.compression == 0 ? "ZSTD" : body.compression == 255 ? "NONE" : "UNKNOWN";
          out["payload_size"] = body.payload_size;
          out["uncompressed_size"] = body.uncompressed_size;
          out["events"] = body.event_count;
        } else if constexpr (std::is_same_v<T, UnknownEvent>) {
          out["decoded"] = false;
        }
      },
      event.body);
  return out;
}

std::string event_line(const Event& event) {
  std::string where = event.payload_index > 0
                          ? fmt::format("{}#{}", event.position, event.payload_index)
                          : std::to_string(event.position);
  std::string line = fmt::format("{:>10} {:>10}  {}  server {}  {:<20}", where, event.end_position,
                                 core::format_datetime(event.header.timestamp), event.header.server_id,
                                 event.type_name());
  std::string detail;
  if (auto* query = event.as<QueryEvent>()) {
    detail = fmt::format("db={} {}", query->database.empty() ? "-" : query->database, one_line(query->sql, 200));
  } else if (auto* map = event.as<TableMapEvent>()) {
    detail = fmt::format("`{}`.`{}` id={}", map->database, map->table, map->table_id);
  } else if (auto* rows = event.as<RowsEvent>()) {
    std::string count = rows->row_count ? std::to_string(*rows->row_count) : "?";
    detail = rows->table.empty() ? fmt::format("table id {} rows={}", rows->table_id, count)
                                 : fmt::format("`{}`.`{}` rows={}", rows->database, rows->table, count);
    if (rows->partial_json) detail += " partial-json";
  } else if (auto* xid = event.as<XidEvent>()) {
    detail = fmt::format("xid={}", xid->xid);
  } else if (auto* rotate = event.as<RotateEvent>()) {
    detail = fmt::format("to {}:{}", rotate->next_file, rotate->position);
  } else if (auto* gtid = event.as<MysqlGtidEvent>()) {
    detail = gtid->anonymous ? "anonymous" : gtid->gtid;
  } else if (auto* gtid = event.as<MariaGtidEvent>()) {
    detail = gtid->gtid(event.header.server_id);
  } else if (auto* list = event.as<GtidListEvent>()) {
    for (const auto& g : list->gtids) detail += (detail.empty() ? "" : ",") + gtid_text(g);
    detail = "[" + detail + "]";
  } else if (auto* set = event.as<GtidSetEvent>()) {
    detail = set->gtid_set;
  } else if (auto* checkpoint = event.as<CheckpointEvent>()) {
    detail = checkpoint->file;
  } else if (auto* rows_query = event.as<RowsQueryEvent>()) {
    detail = one_line(rows_query->query, 200);
  } else if (auto* format = event.as<FormatDescription>()) {
    detail = fmt::format("server {} binlog v{}", format->server_version, format->binlog_version);
  } else if (auto* payload = event.as<TransactionPayloadEvent>()) {
    detail = fmt::format("{} events, {} -> {} bytes", payload->event_count, payload->payload_size,
                         payload->uncompressed_size);
  }
  if (!detail.empty()) line += "  " + detail;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace mysqlpitr::binlog
