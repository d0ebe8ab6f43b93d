#pragma once
// One consistent snapshot shared by several connections: the global read lock is taken, every
// worker starts START TRANSACTION WITH CONSISTENT SNAPSHOT, the binlog coordinates are read, and
// the lock is released as soon as the caller says (right away, or once non-transactional tables,
// which only the lock keeps consistent, have been read).
#include <chrono>
#include <optional>
#include <vector>

#include "dump/sql_text.hpp"
#include "mysql/connection.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::dump {

// Session settings of a dump connection: UTC for TIMESTAMP text, no sql_mode rewriting, timeouts
// long enough for a slow consumer of a streamed result.
void prepare_dump_session(mysql::Connection& connection);

// SHOW MASTER STATUS plus the GTID position; nullopt when binary logging is off.
std::optional<Coordinates> read_coordinates(mysql::Connection& connection, const mysql::ServerFacts& facts);

class SharedSnapshot {
 public:
  // Locks with `control`, starts the snapshot on every worker, reads coordinates. Throws on failure
  // (the lock is released by the destructor).
  SharedSnapshot(mysql::Connection& control, std::vector<mysql::Connection>& workers, const mysql::ServerFacts& facts);
  SharedSnapshot(const SharedSnapshot&) = delete;
  SharedSnapshot& operator=(const SharedSnapshot&) = delete;
  ~SharedSnapshot();

  const std::optional<Coordinates>& coordinates() const noexcept { return coordinates_; }
  void unlock();
  double lock_seconds() const;

 private:
  mysql::Connection& control_;
  std::optional<Coordinates> coordinates_;
  bool locked_ = false;
  std::chrono::steady_clock::time_point locked_at_;
  std::chrono::steady_clock::time_point unlocked_at_;
};

}  // namespace mysqlpitr::dump
