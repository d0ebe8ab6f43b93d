#include "pitr/progress_table.hpp"

#include "core/error.hpp"

namespace mysqlpitr::pitr {

std::optional<ProgressRecord> read_progress(mysql::Connection& connection, const std::string& target) {
  auto exists = connection.scalar(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_mysqlpitr' AND TABLE_NAME = "
      "'pitr_progress'");
  if (exists.value_or("0") == "0") return std::nullopt;
  auto rows = connection.rows(fmt::format(
      "SELECT target, base, base_start, file, position, transactions, state FROM {} WHERE target = {}",
      kProgressTable, mysql::quote_string(target)));
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.front();
  ProgressRecord record;
  record.target = row[0].value_or("");
  record.base = row[1].value_or("");
  record.base_start = row[2].value_or("");
  record.file = row[3].value_or("");
  record.position = std::stoull(row[4].value_or("0"));
  record.transactions = std::stoull(row[5].value_or("0"));
  record.state = row[6].value_or("");
  return record;
}

void write_progress(mysql::Connection& connection, const ProgressRecord& record) {
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

std::string progress_update_sql(const std::string& target, const std::string& file, std::uint64_t position,
                                std::uint64_t transactions, const std::string& state) {
  return fmt::format("UPDATE {} SET file = {}, position = {}, transactions = {}, state = '{}' WHERE target = {}",
                     kProgressTable, mysql::quote_string(file), position, transactions, state,
                     mysql::quote_string(target));
}

void clear_progress(mysql::Connection& connection, const std::string& target) {
  connection.execute(fmt::format("DELETE FROM {} WHERE target = {}", kProgressTable, mysql::quote_string(target)));
  if (connection.scalar(fmt::format("SELECT COUNT(*) FROM {}", kProgressTable)).value_or("1") == "0")
    connection.execute("DROP DATABASE IF EXISTS `_mysqlpitr`");
}

}  // namespace mysqlpitr::pitr
