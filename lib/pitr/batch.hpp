#pragma once
// Sending replayed SQL to the server: several statements in one round trip, or one, with errors
// that stay on one line (the server's message and code, never the SQL: a BINLOG statement is
// kilobytes of base64).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mysql/connection.hpp"

namespace mysqlpitr::pitr {

// Runs `count` statements sent as one multi-statement packet and reads exactly `count` results.
// Throws a failure Error naming the statement's index in the batch.
void run_batch(mysql::Connection& connection, const std::string& sql, std::size_t count);

// Runs one statement; throws a failure Error "message (error N)". Returns the rows it changed
// (Connection::execute cannot: Connector/C's mysql_next_result() resets the count).
std::uint64_t run_statement(mysql::Connection& connection, std::string_view sql);

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
