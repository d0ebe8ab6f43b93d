#pragma once
// Where a PITR stops. The event at the stop point is not applied, as mysqlbinlog's --stop-*
// options do: a datetime stops at the first event logged at or after it, a position at the event
// starting there (the plan refuses a position inside an event), a GTID before that transaction. A transaction cut by the stop
// point is not applied at all (it never committed before that point).
#include <cstdint>
#include <ctime>
#include <string>

namespace mysqlpitr::pitr {

enum class StopKind { end_of_binlogs, datetime, position, gtid, until_binlog };

struct StopPoint {
  StopKind kind = StopKind::end_of_binlogs;
  std::time_t time = 0;        // datetime: the instant (UTC seconds)
  std::string text;            // as the operator typed it
  int zone_offset_seconds = 0; // datetime: offset used to read it (the server's, unless typed)
  bool offset_typed = false;
  int server_offset_seconds = 0;
  std::string file;            // position, until_binlog
  std::uint64_t position = 0;  // position
  std::string gtid;            // gtid

  // "2026-11-24 03:00:00 server time (+01:00) = 2026-11-24 02:00:00 UTC", "mysql-bin.000042:1234"...
  std::string describe() const;
};

// --stop-datetime: 'YYYY-MM-DD HH:MM:SS' in the server's zone (`server_offset_seconds`), or with
// 'T'...'Z'/'+HH:MM' exact. Usage error (exit 2) when it cannot be read.
StopPoint stop_at_datetime(const std::string& text, int server_offset_seconds);
// --stop-position FILE:POS
StopPoint stop_at_position(const std::string& text);
StopPoint stop_at_gtid(const std::string& gtid);
StopPoint stop_until_binlog(const std::string& file);

std::string format_offset(int seconds);  // "+01:00"

}  // namespace mysqlpitr::pitr
