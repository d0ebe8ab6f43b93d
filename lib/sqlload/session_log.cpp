#include "sqlload/session_log.hpp"

#include "sqlload/batch.hpp"

namespace mysqlpitr::sqlload {

void SessionLog::append(const Statement& statement) {
  std::lock_guard lock(mutex_);
  statements_.push_back(statement);
}

size_t SessionLog::size() const {
  std::lock_guard lock(mutex_);
  return statements_.size();
}

void SessionLog::replay(mysql::Connection& connection, size_t& applied, size_t target, const std::string& file) const {
  std::vector<Statement> todo;
  {
    std::lock_guard lock(mutex_);
    if (target > statements_.size()) target = statements_.size();
    if (target <= applied) return;
    todo.assign(statements_.begin() + static_cast<long>(applied), statements_.begin() + static_cast<long>(target));
  }
  for (const Statement& statement : todo) run_statement(connection, statement, file);
  applied = target;
}

}  // namespace mysqlpitr::sqlload
