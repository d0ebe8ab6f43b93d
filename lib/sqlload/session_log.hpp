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
  // `selects_database`: a USE. Replaying from the start, a USE of a database the dump has dropped
  // since fails; when a later USE follows before the target, that one is skipped.
  void append(const Statement& statement, bool selects_database = false);
  size_t size() const;
  // Brings `connection` from log position `applied` to `target`.
  void replay(mysql::Connection& connection, size_t& applied, size_t target, const std::string& file) const;

 private:
  struct Entry {
    Statement statement;
    bool selects_database = false;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> statements_;
};

}  // namespace mysqlpitr::sqlload
