#include "dump/snapshot.hpp"

#include "core/error.hpp"

namespace mysqlpitr::dump {

void prepare_dump_session(mysql::Connection& c) {
  c.execute(
      "SET SESSION time_zone = '+00:00', SESSION sql_mode = '', SESSION sql_quote_show_create = 1, "
      "SESSION net_write_timeout = 86400, SESSION net_read_timeout = 86400, SESSION wait_timeout = 86400");
  c.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
}

std::optional<Coordinates> read_coordinates(mysql::Connection& c, const mysql::ServerFacts& facts) {
  if (!facts.log_bin) return std::nullopt;
  mysql::Result result = c.query(mysql::binary_log_status_statement(facts));
  auto row = result.next();
  if (!row) return std::nullopt;
  Coordinates coordinates;
  coordinates.file = row->str(0);
  coordinates.position = std::stoull(row->str(1));
  coordinates.mariadb = facts.flavor == mysql::Flavor::mariadb;
  if (!coordinates.mariadb && row->size() > 4) coordinates.gtid = row->str(4);
  while (result.next()) {
  }
  if (coordinates.mariadb) coordinates.gtid = c.scalar("SELECT @@GLOBAL.gtid_binlog_pos").value_or("");
  // Multi-line GTID sets (MySQL) are one comment line in the dump header.
  std::erase(coordinates.gtid, '\n');
  return coordinates;
}

SharedSnapshot::SharedSnapshot(mysql::Connection& control, std::vector<mysql::Connection>& workers,
                               const mysql::ServerFacts& facts)
    : control_(control) {
  // A plain FLUSH TABLES first does the slow part (waiting for open tables) without blocking
  // writers, so the read lock that follows is short.
  control.execute("FLUSH /*!40101 LOCAL */ TABLES");
  control.execute("FLUSH TABLES WITH READ LOCK");
  locked_ = true;
  locked_at_ = std::chrono::steady_clock::now();
  for (mysql::Connection& worker : workers) worker.execute("START TRANSACTION /*!40100 WITH CONSISTENT SNAPSHOT */");
  coordinates_ = read_coordinates(control, facts);
}

SharedSnapshot::~SharedSnapshot() {
  try {
    unlock();
  } catch (...) {
    // The connection closing releases the lock too.
  }
}

void SharedSnapshot::unlock() {
  if (!locked_) return;
  locked_ = false;
  unlocked_at_ = std::chrono::steady_clock::now();
  control_.execute("UNLOCK TABLES");
}

double SharedSnapshot::lock_seconds() const {
  auto end = locked_ ? std::chrono::steady_clock::now() : unlocked_at_;
  return std::chrono::duration<double>(end - locked_at_).count();
}

}  // namespace mysqlpitr::dump
