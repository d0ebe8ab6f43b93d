#pragma once
// A replica's binlog dump (COM_BINLOG_DUMP) through Connector/C's replication API (mariadb_rpl_*):
// the events of the server's binlogs from a file and position on, exactly as the server sends
// them. The session is prepared first as the server's own tools do, so that the server sends its
// files unaltered: checksums kept (@master_binlog_checksum), MariaDB events not rewritten for old
// replicas (@mariadb_slave_capability), Annotate_rows events included, and a heartbeat while the
// binlog is idle (@master_heartbeat_period) so that a stalled connection is noticed within the
// connection's read timeout.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "mysql/connection.hpp"

struct st_mariadb_rpl;
struct st_mariadb_rpl_event;

namespace mysqlpitr::mysql {

struct DumpRequest {
  std::string file;             // the binlog to start in
  std::uint64_t position = 4;   // an event boundary in it (4: its first event)
  std::uint32_t server_id = 0;  // the replica's: distinct from the server's and other replicas'
  bool until_current = false;   // the server ends the dump once it has sent everything (non-blocking)
  unsigned heartbeat_ms = 500;  // 0: none
};

// What the server sent next.
struct DumpPacket {
  enum class Kind { event, end };
  Kind kind = Kind::end;
  std::span<const std::uint8_t> bytes;  // the whole event (header, body, checksum) as sent
};

class BinlogDump {
 public:
  // Prepares the session and sends the dump request on `connection` (which must outlive this).
  // Throws an Error carrying the server's error code when the server refuses.
  BinlogDump(Connection& connection, const DumpRequest& request);
  ~BinlogDump();
  BinlogDump(const BinlogDump&) = delete;
  BinlogDump& operator=(const BinlogDump&) = delete;

  // The next event (valid until the following call), or `end` when the server ended the dump (an
  // until_current request caught up). Throws with the server's code and message on an error.
  DumpPacket next();

 private:
  [[noreturn]] void fail(const char* what);
  Connection& connection_;
  std::string file_;
  st_mariadb_rpl* rpl_ = nullptr;
  st_mariadb_rpl_event* event_ = nullptr;
};

// The server's error when it no longer has the binlog the dump asks for (purged), or another
// fatal error reading its binlogs (ER_MASTER_FATAL_ERROR_READING_BINLOG).
inline constexpr unsigned kErrorReadingBinlog = 1236;

}  // namespace mysqlpitr::mysql
