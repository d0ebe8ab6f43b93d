#include "sqlload/batch.hpp"

#include <mysqld_error.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::sqlload {
namespace {

// Each retry waits twice as long as the one before (40 ms to about 5 s in all).
constexpr unsigned kDeadlockAttempts = 8;

}  // namespace

void Batch::make_room(size_t extra) {
  size_t needed = sql_.size() + extra;
  if (growth_cap_ == 0 || needed <= sql_.capacity()) return;
  size_t grown = std::max(needed, sql_.capacity() * 2);
  if (grown > growth_cap_) grown = std::max(needed, growth_cap_);
  // Not sql_.reserve(grown): libstdc++ would round a growth of less than double up to double.
  std::string bigger;
  bigger.reserve(grown);
  bigger.append(sql_);
  sql_.swap(bigger);
}

void Batch::add(const Statement& statement) {
  make_room(statement.text.size() + 2);
  if (!sql_.empty()) sql_ += ";\n";
  size_t begin = sql_.size();
  sql_ += statement.text;
  entries_.push_back({begin, sql_.size(), statement.offset, statement.line});
}

void Batch::add_own(std::string_view sql) {
  Entry last = entries_.empty() ? Entry{0, 0, 0, 0} : entries_.back();
  make_room(sql.size() + 2);
  if (!sql_.empty()) sql_ += ";\n";
  sql_ += sql;
  entries_.push_back(last);
}

void Batch::clear() {
  sql_.clear();
  entries_.clear();
}

std::optional<Batch::Failure> Batch::send(mysql::Connection& connection, size_t from) const {
  MYSQL* handle = connection.handle();
  auto failure_at = [&](size_t index) { return Failure{index, mysql_errno(handle), mysql_error(handle)}; };
  while (from < entries_.size()) {
    size_t begin = entries_[from].begin;
    if (mysql_real_query(handle, sql_.data() + begin, sql_.size() - begin) != 0) {
      if (mysql_errno(handle) != ER_EMPTY_QUERY) return failure_at(from);
      // An empty first statement ends the whole round trip: send the rest again on its own.
      ++from;
      continue;
    }
    for (size_t index = from;; ++index) {
      MYSQL_RES* result = mysql_store_result(handle);
      if (result) mysql_free_result(result);
      else if (mysql_field_count(handle) != 0 && mysql_errno(handle) != ER_EMPTY_QUERY) return failure_at(index);
      int more = mysql_next_result(handle);
      if (more < 0) return std::nullopt;
      if (more > 0) {
        if (mysql_errno(handle) != ER_EMPTY_QUERY) return failure_at(index + 1);
        return Failure{index + 1, ER_EMPTY_QUERY, "an empty statement stopped a batch"};  // not seen in practice
      }
    }
  }
  return std::nullopt;
}

Error Batch::describe(const Failure& failure, const std::string& file, unsigned attempts) const {
  const Entry& entry = entries_[std::min(failure.index, entries_.size() - 1)];
  std::string_view text = std::string_view(sql_).substr(entry.begin, entry.end - entry.begin);
  std::string head(text.substr(0, 160));
  if (text.size() > 160) head += "...";
  for (char& c : head)
    if (c == '\n' || c == '\r') c = ' ';
  std::string tries = attempts > 1 ? fmt::format(", {} attempts", attempts) : "";
  Error error = mysqlpitr::failure("{}: line {} (byte {}): {} (error {}{}) in: {}", file, entry.line, entry.offset,
                                   failure.message, failure.code, tries, head);
  error.set_server_code(static_cast<int>(failure.code));
  return error;
}

void Batch::run(mysql::Connection& connection, const std::string& file, OnDeadlock on_deadlock) const {
  size_t from = 0;
  for (unsigned attempt = 1;; ++attempt) {
    std::optional<Failure> failed = send(connection, from);
    if (!failed) return;
    if (failed->code != ER_LOCK_DEADLOCK || on_deadlock != OnDeadlock::retry || attempt == kDeadlockAttempts)
      throw describe(*failed, file, attempt);
    // InnoDB rolled the victim's whole transaction back: with autocommit that is the failed
    // statement alone (those before it are committed), otherwise everything since the batch began.
    // Connections loading one table side by side at the end of a load meet this (MariaDB's bulk
    // insert into an empty table locks the table); the client would have to rerun them by hand.
    auto autocommit = connection.scalar("SELECT @@autocommit");
    from = autocommit && *autocommit == "1" ? failed->index : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20) * (1u << attempt));
  }
}

void run_statement(mysql::Connection& connection, const Statement& statement, const std::string& file) {
  Batch batch;
  batch.add(statement);
  batch.run(connection, file);
}

}  // namespace mysqlpitr::sqlload
