#pragma once
// The dump's session statements (SET ..., USE ...) in file order, so that a later connection can
// be brought to the session state the file had at any point (objects created after the data).
#include <mutex>
#include <string>
#include <vector>

#include "sqlload/splitter.hpp"

namespace mysqlpitr::mysql {
class Connection;
}

namespace mysqlpitr::sqlload {

class SessionLog {
 public:
  void append(const Statement& statement);
  size_t size() const;
  // Brings `connection` from log position `applied` to `target`.
  void replay(mysql::Connection& connection, size_t& applied, size_t target, const std::string& file) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Statement> statements_;
};

}  // namespace mysqlpitr::sqlload
