#pragma once
// The resume record: where a replay records how far it got, so --resume continues from the last committed
// transaction without reloading the base and without applying anything twice.
//
// The record is a row of a small InnoDB table on the server being restored
// (`_mysqlpitr`.`pitr_progress`), updated in the *same transaction* as each group of replayed
// transactions: the server commits the data and the position together or neither, so a kill -9
// at any moment leaves a record that matches the data exactly. A file next to the backups could
// not give that guarantee (it would be written either before or after the commit). Statements
// that commit on their own (DDL, non-transactional tables) cannot share a transaction: for them
// the record says `state = 'statement'` with the statement's position before it runs and is set
// back after; a resume that finds that state refuses, naming the statement, because only the
// operator can tell whether it ran. The row is deleted (and the table and database dropped when
// empty) once the replay reaches its stop point.
#include <cstdint>
#include <optional>
#include <string>

#include "mysql/connection.hpp"

namespace mysqlpitr::pitr {

struct ResumeRecord {
  std::string target;     // the database being restored (after --into)
  std::string base;       // the base file's path
  std::string base_start; // "file:pos" of the base's coordinates
  std::string file;       // where the replay continues
  std::uint64_t position = 0;
  std::uint64_t transactions = 0;  // applied so far
  std::string state;      // "replaying" or "statement"
};

inline constexpr const char* kProgressDatabase = "_mysqlpitr";
inline constexpr const char* kProgressTable = "`_mysqlpitr`.`pitr_progress`";

std::optional<ResumeRecord> read_resume_record(mysql::Connection& connection, const std::string& target);

// Creates the table if needed and writes `record` (autocommit).
void write_resume_record(mysql::Connection& connection, const ResumeRecord& record);

// The part of the record a replay moves.
struct ResumeMark {
  std::string file;
  std::uint64_t position = 0;
  std::uint64_t transactions = 0;
  std::string state = "replaying";
  bool operator==(const ResumeMark&) const = default;
};

// The UPDATE that moves the record from `from` to `to`, to run inside the replay's transaction.
// It moves the record only while it still holds `from`, what this run last wrote: otherwise
// another run (a second replay of the database, a --resume started beside it) has moved it and
// applied transactions meanwhile, and the UPDATE fails with ER_SUBQUERY_NO_1_ROW (an error
// whatever the sql_mode), so a batch stops before its COMMIT. A record that is gone changes no
// row: a replay checks that it changed one. The failing subquery names ROW_COUNT() so that no
// optimizer evaluates it before the IF chooses it; no other statement goes between the UPDATE
// and the COMMIT (the server still commits a batch it has received when the client dies while
// it waits, but stops at a statement that evaluates a subquery then). The texts go in as hex
// literals: replayed events set the session's sql_mode (NO_BACKSLASH_ESCAPES) and character set,
// which must not change what the names mean.
std::string resume_record_update_sql(const std::string& target, const ResumeMark& from, const ResumeMark& to);

// The message of a replay that found the record moved (read_resume_record() says where it is now).
std::string moved_record_message(const std::string& target, const ResumeMark& expected,
                                 const std::optional<ResumeRecord>& now);

// Deletes the record; drops the table and its database when no other restore is recorded.
void clear_resume_record(mysql::Connection& connection, const std::string& target);

}  // namespace mysqlpitr::pitr
