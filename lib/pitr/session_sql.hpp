#pragma once
// The session context each logged statement ran with, as SQL for the replay session: what
// mysqlbinlog prints before each statement (SET TIMESTAMP, pseudo_thread_id, sql_mode, character
// sets, time zone, auto-increment, check flags), emitted only when it changes; and the
// INSERT_ID / LAST_INSERT_ID, RAND seed and user variable events as SET statements.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event.hpp"

namespace mysqlpitr::pitr {

struct CollationName {
  std::string charset;
  std::string collation;
};
using Collations = std::map<std::uint32_t, CollationName>;

class SessionContext {
 public:
  // Forget what the session holds: the next statement sets everything (after an error, or at
  // the start).
  void reset() { state_.clear(); database_.reset(); }
  // After DROP DATABASE: when it dropped the session's default database the server left the
  // session without one, so the next statement must select its database again.
  void forget_database() { database_.reset(); }
  // The statements to run before `query` (logged at `timestamp`) so it runs as it did. `database`
  // is the default database to select (already renamed for --into); empty keeps the current one.
  void prepare(const binlog::QueryEvent& query, std::uint32_t timestamp, const std::string& database,
               std::vector<std::string>& out);

 private:
  std::map<std::string, std::string> state_;  // variable -> value last set
  std::optional<std::string> database_;
};

std::string intvar_sql(const binlog::IntvarEvent& event);
std::string rand_sql(const binlog::RandEvent& event);
// Throws a failure Error for a value type it cannot print (the caller names the event).
std::string user_var_sql(const binlog::UserVarEvent& event, const Collations& collations);

// A binary DECIMAL (the server's decimal2bin format) as text: "-12.340".
std::string decimal_to_string(const std::uint8_t* data, std::size_t size, int precision, int scale);

// A byte string as a hexadecimal literal X'...'.
std::string hex_literal(const std::string& bytes);

}  // namespace mysqlpitr::pitr
