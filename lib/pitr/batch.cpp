#include "pitr/batch.hpp"

#include <mysql.h>

#include "core/error.hpp"

namespace mysqlpitr::pitr {

// MariaDB answers a BINLOG statement with an OK packet that lacks SERVER_MORE_RESULTS_EXISTS
// even when more statements follow in the packet, so the client library would stop reading
// early and every later reply would be taken for the answer to another query. Counting the
// statements keeps the session in step whatever the flags say.
void run_batch(mysql::Connection& connection, const std::string& sql, std::size_t count) {
  MYSQL* handle = connection.handle();
  auto fail = [&](std::size_t index) -> void {
    throw failure("{} (error {}) in statement {} of a batch of {}", mysql_error(handle), mysql_errno(handle), index + 1,
                  count);
  };
  if (mysql_real_query(handle, sql.data(), sql.size()) != 0) fail(0);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      if (mysql_more_results(handle)) {
        if (mysql_next_result(handle) > 0) fail(i);
      } else if (mysql_read_query_result(handle) != 0) {
        fail(i);
      }
    }
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
  }
  // Anything the server still announces is drained (none expected).
  while (mysql_more_results(handle) && mysql_next_result(handle) == 0)
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
}

std::uint64_t run_statement(mysql::Connection& connection, std::string_view sql) {
  MYSQL* handle = connection.handle();
  if (mysql_real_query(handle, sql.data(), sql.size()) != 0)
    throw failure("{} (error {})", mysql_error(handle), mysql_errno(handle));
  if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
  std::uint64_t changed = mysql_affected_rows(handle);
  while (mysql_more_results(handle) && mysql_next_result(handle) == 0)
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
  return changed;
}

Rollback roll_back(mysql::Connection& connection) {
  constexpr const char* kNotCompleteRollback = "1196";  // ER_WARNING_NOT_COMPLETE_ROLLBACK
  Rollback outcome;
  try {
    run_statement(connection, "ROLLBACK");
  } catch (const Error& error) {
    outcome.failed = "ROLLBACK: " + error.message();
    return outcome;
  }
  if (mysql_warning_count(connection.handle()) == 0) return outcome;
  try {
    for (const auto& row : connection.rows("SHOW WARNINGS"))
      if (row.size() > 1 && row[1] == kNotCompleteRollback) outcome.left_changes = true;
  } catch (const Error& error) {
    outcome.failed = "SHOW WARNINGS after the ROLLBACK: " + error.message();
  }
  return outcome;
}

std::string one_line(std::string_view sql, std::size_t limit) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace mysqlpitr::pitr
