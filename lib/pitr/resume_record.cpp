#include "pitr/resume_record.hpp"

#include "core/error.hpp"

namespace mysqlpitr::pitr {

std::optional<ResumeRecord> read_resume_record(mysql::Connection& connection, const std::string& target) {
  auto exists = connection.scalar(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_mysqlpitr' AND TABLE_NAME = "
      "'pitr_progress'");
  if (exists.value_or("0") == "0") return std::nullopt;
  auto rows = connection.rows(fmt::format(
      "SELECT target, base, base_start, file, position, transactions, state FROM {} WHERE target = {}",
      kProgressTable, mysql::quote_string(target)));
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.front();
  ResumeRecord record;
  record.target = row[0].value_or("");
  record.base = row[1].value_or("");
  record.base_start = row[2].value_or("");
  record.file = row[3].value_or("");
  record.position = std::stoull(row[4].value_or("0"));
  record.transactions = std::stoull(row[5].value_or("0"));
  record.state = row[6].value_or("");
  return record;
}

void write_resume_record(mysql::Connection& connection, const ResumeRecord& record) {
  connection.execute("CREATE DATABASE IF NOT EXISTS `_mysqlpitr`");
  connection.execute(fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (target VARCHAR(255) NOT NULL PRIMARY KEY, base VARCHAR(4096) NOT NULL, "
      "base_start VARCHAR(600) NOT NULL, file VARCHAR(512) NOT NULL, position BIGINT UNSIGNED NOT NULL, "
      "transactions BIGINT UNSIGNED NOT NULL, state VARCHAR(16) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
      kProgressTable));
  connection.execute(fmt::format("REPLACE INTO {} VALUES ({}, {}, {}, {}, {}, {}, {})", kProgressTable,
                                 mysql::quote_string(record.target), mysql::quote_string(record.base),
                                 mysql::quote_string(record.base_start), mysql::quote_string(record.file),
                                 record.position, record.transactions, mysql::quote_string(record.state)));
}

namespace {
// _utf8mb4 X'...': the same bytes whatever the session's sql_mode and character set; still a
// literal, so the column's collation decides the comparison.
std::string text_literal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (text.empty()) return "''";
  std::string out = "_utf8mb4 X'";
  for (unsigned char c : text) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out + "'";
}
}  // namespace

std::string resume_record_update_sql(const std::string& target, const ResumeMark& from, const ResumeMark& to) {
  // Single-table UPDATE assignments run left to right: the first one still sees the old values.
  return fmt::format(
      "UPDATE {} SET transactions = IF(file = {} AND position = {} AND transactions = {} AND state = {}, {}, "
      "(SELECT 1 UNION ALL SELECT ROW_COUNT())), file = {}, position = {}, state = {} WHERE target = {}",
      kProgressTable, text_literal(from.file), from.position, from.transactions, text_literal(from.state),
      to.transactions, text_literal(to.file), to.position, text_literal(to.state), text_literal(target));
}

std::string moved_record_message(const std::string& target, const ResumeMark& expected,
                                 const std::optional<ResumeRecord>& now) {
  std::string where = now ? fmt::format("it now says {}:{} after {} transactions ({})", now->file, now->position,
                                        now->transactions, now->state)
                          : std::string("it is gone");
  return fmt::format("the progress record of {} no longer holds what this replay wrote ({}:{} after {} transactions): "
                     "{}. Another run replays into {} (two restores of one database at once?); this one stopped and "
                     "rolled back its open transaction: when the other run has ended, restore again",
                     target, expected.file, expected.position, expected.transactions, where, target);
}

void clear_resume_record(mysql::Connection& connection, const std::string& target) {
  connection.execute(fmt::format("DELETE FROM {} WHERE target = {}", kProgressTable, mysql::quote_string(target)));
  if (connection.scalar(fmt::format("SELECT COUNT(*) FROM {}", kProgressTable)).value_or("1") == "0")
    connection.execute("DROP DATABASE IF EXISTS `_mysqlpitr`");
}

}  // namespace mysqlpitr::pitr
