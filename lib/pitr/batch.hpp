#pragma once
// Replay's side of a failed transaction: rolling it back and saying what that left, and SQL shown
// on one line. Statements themselves run through mysql::Connection (execute with Echo::none, so
// errors stay on one line: a BINLOG statement is kilobytes of base64; execute_batch).
#include <cstddef>
#include <string>
#include <string_view>

#include "mysql/connection.hpp"

namespace mysqlpitr::pitr {

// What rolling back a failed transaction left behind.
struct Rollback {
  // The server warned that changes to non-transactional tables (MyISAM, Aria...) could not be
  // undone (warning 1196), so replaying those statements again would apply them twice.
  bool left_changes = false;
  // The statement that failed and why ("" when both ran): the ROLLBACK, or the look at its
  // warnings. The server rolls back the transaction of a session that ends, but what it changed
  // in non-transactional tables stays, and nothing then says whether it changed any.
  std::string failed;
};

// Rolls back the open transaction and says what that left behind.
Rollback roll_back(mysql::Connection& connection);

// The first `limit` bytes of `sql` on one line (line breaks and tabs as spaces).
std::string one_line(std::string_view sql, std::size_t limit = 200);

}  // namespace mysqlpitr::pitr
