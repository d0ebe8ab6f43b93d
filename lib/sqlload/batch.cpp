#include "sqlload/batch.hpp"

#include <mysqld_error.h>

#include <algorithm>

#include "core/error.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::sqlload {

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

void Batch::run(mysql::Connection& connection, const std::string& file) const {
  if (entries_.empty()) return;
  MYSQL* handle = connection.handle();
  size_t index = 0;
  auto failed = [&]() {
    unsigned code = mysql_errno(handle);
    if (code == ER_EMPTY_QUERY) return false;
    const Entry& entry = entries_[std::min(index, entries_.size() - 1)];
    std::string_view text = std::string_view(sql_).substr(entry.begin, entry.end - entry.begin);
    std::string head(text.substr(0, 160));
    if (text.size() > 160) head += "...";
    for (char& c : head)
      if (c == '\n' || c == '\r') c = ' ';
    throw failure("{}: line {} (byte {}): {} (error {}) in: {}", file, entry.line, entry.offset, mysql_error(handle),
                  code, head);
  };
  if (mysql_real_query(handle, sql_.data(), sql_.size()) != 0) {
    failed();
    // An empty first statement ends the whole round trip: send the rest again on its own.
    if (entries_.size() > 1) {
      Batch rest;
      rest.sql_ = sql_.substr(entries_[1].begin);
      for (size_t i = 1; i < entries_.size(); ++i) {
        Entry e = entries_[i];
        e.begin -= entries_[1].begin;
        e.end -= entries_[1].begin;
        rest.entries_.push_back(e);
      }
      rest.run(connection, file);
    }
    return;
  }
  for (;;) {
    MYSQL_RES* result = mysql_store_result(handle);
    if (result) mysql_free_result(result);
    else if (mysql_field_count(handle) != 0) failed();
    int more = mysql_next_result(handle);
    if (more < 0) break;
    ++index;
    if (more > 0) {
      failed();
      throw failure("{}: an empty statement stopped a batch", file);  // not reached in practice
    }
  }
}

void run_statement(mysql::Connection& connection, const Statement& statement, const std::string& file) {
  Batch batch;
  batch.add(statement);
  batch.run(connection, file);
}

}  // namespace mysqlpitr::sqlload
