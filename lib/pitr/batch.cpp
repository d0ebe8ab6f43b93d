#include "pitr/batch.hpp"

#include "core/error.hpp"

namespace mysqlpitr::pitr {

Rollback roll_back(mysql::Connection& connection) {
  constexpr const char* kNotCompleteRollback = "1196";  // ER_WARNING_NOT_COMPLETE_ROLLBACK
  Rollback outcome;
  try {
    connection.execute("ROLLBACK", mysql::Connection::Echo::none);
  } catch (const Error& error) {
    outcome.failed = "ROLLBACK: " + error.message();
    return outcome;
  }
  if (connection.warning_count() == 0) return outcome;
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
