#pragma once
// Several statements sent in one round trip (CLIENT_MULTI_STATEMENTS) and every result read, so a
// failure is pinned to the statement that caused it and to its place in the dump file.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

#include "sqlload/splitter.hpp"

namespace mysqlpitr::mysql {
class Connection;
}

namespace mysqlpitr::sqlload {

// What a batch does when InnoDB picks its transaction as a deadlock victim.
enum class OnDeadlock {
  fail,
  // Run the rolled-back part again. Only for a batch that starts a transaction and ends with its
  // COMMIT (the data connections' batches): then what the server rolled back is exactly known.
  retry,
};

class Batch {
 public:
  // Appends a statement; `statement.text` must be one complete statement.
  void add(const Statement& statement);
  // A statement of the loader's own (COMMIT): errors point at the batch's last dump statement.
  void add_own(std::string_view sql);
  bool empty() const noexcept { return entries_.empty(); }
  size_t size() const noexcept { return entries_.size(); }
  size_t bytes() const noexcept { return sql_.size(); }
  // What the batch holds in memory (its SQL's allocation and the statements' places).
  size_t memory() const noexcept { return sql_.capacity() + entries_.capacity() * sizeof(Entry); }
  // The SQL's allocation grows by doubling up to `bytes`, then only as far as needed: a batch
  // filled to its limit then holds about what it counts, not up to twice that.
  void cap_growth(size_t bytes) noexcept { growth_cap_ = bytes; }
  void clear();

  // Runs the batch; throws mysqlpitr::Error naming `file`, the line and byte offset of the failing
  // statement, the server's message and the start of the statement. A statement that the server
  // finds empty (a version comment it does not run) is skipped, as the client skips it.
  void run(mysql::Connection& connection, const std::string& file, OnDeadlock on_deadlock = OnDeadlock::fail) const;

 private:
  struct Entry {
    size_t begin, end;  // in sql_
    unsigned long long offset, line;
  };
  struct Failure {
    size_t index;  // in entries_
    unsigned code;
    std::string message;
  };
  void make_room(size_t extra);
  // Sends the statements from entries_[from] on; the first that fails stops the rest.
  std::optional<Failure> send(mysql::Connection& connection, size_t from) const;
  Error describe(const Failure& failure, const std::string& file, unsigned attempts) const;

  std::string sql_;
  std::vector<Entry> entries_;
  size_t growth_cap_ = 0;  // 0: the string's own growth
};

// One statement on its own round trip, with the same error reporting.
void run_statement(mysql::Connection& connection, const Statement& statement, const std::string& file);

}  // namespace mysqlpitr::sqlload
