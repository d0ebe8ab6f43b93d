#include "mysql/binlog_dump.hpp"

#include <mariadb_rpl.h>

#include <fmt/format.h>

namespace mysqlpitr::mysql {
namespace {

// Asks for the server's binlogs as they are on disk: the same settings mariadb-binlog
// --read-from-remote-server makes, plus a heartbeat so that a silent connection is a dead one.
void prepare_session(Connection& connection, unsigned heartbeat_ms) {
  connection.execute("SET @master_binlog_checksum = @@global.binlog_checksum");
  // MariaDB rewrites GTID and other newer events for replicas that do not announce this capability
  // (4: MARIA_SLAVE_CAPABILITY_GTID); MySQL ignores the variable.
  connection.execute("SET @mariadb_slave_capability = 4");
  if (heartbeat_ms > 0)
    connection.execute(fmt::format("SET @master_heartbeat_period = {}", std::uint64_t{heartbeat_ms} * 1000000));
}

}  // namespace

BinlogDump::BinlogDump(Connection& connection, const DumpRequest& request)
    : connection_(connection), file_(request.file) {
  prepare_session(connection, request.heartbeat_ms);
  rpl_ = mariadb_rpl_init(connection.handle());
  if (!rpl_) throw connection.last_error(" (starting the binlog dump)");
  unsigned flags = MARIADB_RPL_BINLOG_SEND_ANNOTATE_ROWS;
  if (request.until_current) flags |= MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
  if (mariadb_rpl_optionsv(rpl_, MARIADB_RPL_FILENAME, request.file.c_str(), request.file.size()) ||
      mariadb_rpl_optionsv(rpl_, MARIADB_RPL_START, static_cast<unsigned long>(request.position)) ||
      mariadb_rpl_optionsv(rpl_, MARIADB_RPL_SERVER_ID, request.server_id) ||
      mariadb_rpl_optionsv(rpl_, MARIADB_RPL_FLAGS, flags))
    fail("setting the binlog dump's options");
  if (mariadb_rpl_open(rpl_)) fail("requesting the binlog dump");
}

BinlogDump::~BinlogDump() {
  if (event_) mariadb_free_rpl_event(event_);
  mariadb_rpl_close(rpl_);  // frees the handle only: the connection is the Connection's
}

void BinlogDump::fail(const char* what) {
  unsigned code = rpl_ ? mariadb_rpl_errno(rpl_) : 0;
  std::string message = code && rpl_ ? mariadb_rpl_error(rpl_) : "";
  if (!code) {
    code = mysql_errno(connection_.handle());
    message = mysql_error(connection_.handle());
  }
  throw failure("{} from {} ({}): {} (error {})", what, file_, connection_.options().describe(), message, code)
      .set_server_code(static_cast<int>(code));
}

DumpPacket BinlogDump::next() {
  st_mariadb_rpl_event* got = mariadb_rpl_fetch(rpl_, event_);
  if (!got) {
    event_ = nullptr;  // freed by mariadb_rpl_fetch on every path that returns nothing
    if (mariadb_rpl_errno(rpl_) || mysql_errno(connection_.handle())) fail("reading the binlog dump");
    return {};
  }
  event_ = got;
  // raw_data is the packet: a status byte, then the event exactly as in the server's file.
  const std::uint8_t* start = got->raw_data + got->raw_data_ofs;
  return {DumpPacket::Kind::event, {start, got->raw_data_size - got->raw_data_ofs}};
}

}  // namespace mysqlpitr::mysql
