#include "sqlload/session_log.hpp"

#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>

#include "core/error.hpp"
#include "mysql/connection.hpp"
#include "sqlload/batch.hpp"

namespace mysqlpitr::sqlload {

void SessionLog::append(const Statement& statement, bool selects_database) {
  std::lock_guard lock(mutex_);
  statements_.push_back({statement, selects_database});
}

size_t SessionLog::size() const {
  std::lock_guard lock(mutex_);
  return statements_.size();
}

void SessionLog::replay(mysql::Connection& connection, size_t& applied, size_t target, const std::string& file) const {
  std::vector<Entry> todo;
  {
    std::lock_guard lock(mutex_);
    if (target > statements_.size()) target = statements_.size();
    if (target <= applied) return;
    todo.assign(statements_.begin() + static_cast<long>(applied), statements_.begin() + static_cast<long>(target));
  }
  for (size_t i = 0; i < todo.size(); ++i) {
    try {
      run_statement(connection, todo[i].statement, file);
    } catch (const Error&) {
      bool superseded = todo[i].selects_database &&
                        std::any_of(todo.begin() + static_cast<long>(i) + 1, todo.end(),
                                    [](const Entry& later) { return later.selects_database; });
      if (!superseded || mysql_errno(connection.handle()) != ER_BAD_DB_ERROR) throw;
    }
  }
  applied = target;
}

}  // namespace mysqlpitr::sqlload
