#include "pitr/replay.hpp"

#include <mysql.h>

#include <chrono>

#include "binlog/event_type.hpp"
#include "core/error.hpp"
#include "pitr/event_rewrite.hpp"
#include "pitr/progress_table.hpp"
#include "sqlload/rename.hpp"

namespace mysqlpitr::pitr {
namespace {

constexpr std::uint64_t kNoBackslashEscapes = 1u << 20;  // MODE_NO_BACKSLASH_ESCAPES

// Runs `count` statements sent as one multi-statement packet and reads exactly `count` results.
// MariaDB answers a BINLOG statement with an OK packet that lacks SERVER_MORE_RESULTS_EXISTS
// even when more statements follow in the packet, so the client library would stop reading
// early and every later reply would be taken for the answer to another query. Counting the
// statements keeps the session in step whatever the flags say.
void run_batch(mysql::Connection& connection, const std::string& sql, std::size_t count) {
  MYSQL* handle = connection.handle();
  auto fail = [&](std::size_t index) -> void {
    throw failure("{} (error {}) in statement {} of a batch of {}", mysql_error(handle), mysql_errno(handle), index + 1,
                  count);
  };
  if (mysql_real_query(handle, sql.data(), sql.size()) != 0) fail(0);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      if (mysql_more_results(handle)) {
        if (mysql_next_result(handle) > 0) fail(i);
      } else if (mysql_read_query_result(handle) != 0) {
        fail(i);
      }
    }
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
  }
  // Anything the server still announces is drained (none expected).
  while (mysql_more_results(handle) && mysql_next_result(handle) == 0)
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
}

// One statement of the replay and the event it comes from (for error messages).
struct Step {
  std::string sql;
  std::uint64_t position = 0;
};

class Replayer {
 public:
  Replayer(mysql::Connection& connection, const Chain& chain, const ReplayOptions& options,
           const Collations& collations, TransactionReader& reader)
      : connection_(connection), chain_(chain), options_(options), collations_(collations), reader_(reader) {
    rename_ = {options.database, options.target};
    if (options.database == options.target) rename_ = {};
  }

  ReplayResult run(const ReplayProgressFunction& progress);

 private:
  std::vector<Step> render(const Transaction& transaction, const FilteredTransaction& filtered);
  void flush_rows(std::vector<Bytes>& rows, const binlog::FormatDescription& format, std::uint64_t position,
                  std::vector<Step>& out);
  void flush_group();
  void run_isolated(const Transaction& transaction, const FilteredTransaction& filtered);
  void run_one_by_one(const Transaction& transaction, const FilteredTransaction& filtered, bool in_transaction);
  std::string progress_sql(const std::string& state = "replaying") const;
  [[noreturn]] void fail_at(const Transaction& transaction, std::uint64_t position, const Error& error) const;

  mysql::Connection& connection_;
  const Chain& chain_;
  const ReplayOptions& options_;
  const Collations& collations_;
  TransactionReader& reader_;
  sqlload::Rename rename_;
  SessionContext session_;
  std::size_t format_sent_ = static_cast<std::size_t>(-1);  // chain index of the FDE the session has

  struct Pending {
    Transaction transaction;
    FilteredTransaction filtered;
  };
  std::vector<Pending> group_;
  std::string group_sql_;
  std::size_t group_statements_ = 0;
  // Where the next transaction starts (the progress record's value once the group commits).
  std::size_t seen_file_ = 0;
  std::uint64_t seen_position_ = 0;
  std::uint64_t applied_total_ = 0;
  ReplayResult result_;
};

void Replayer::flush_rows(std::vector<Bytes>& rows, const binlog::FormatDescription& format, std::uint64_t position,
                          std::vector<Step>& out) {
  if (rows.empty()) return;
  // The last row event of what is sent closes the statement (its STMT_END_F may have been on
  // an event of another database's table that is left out).
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    std::uint8_t code = (*it)[4];
    binlog::RowsType kind{};
    if (binlog::rows_type(code, kind)) {
      set_statement_end(*it, format);
      break;
    }
  }
  std::string sql = "BINLOG '\n";
  for (const auto& event : rows) {
    sql += base64(event.data(), event.size());
    sql += '\n';
  }
  sql += "'";
  out.push_back({std::move(sql), position});
  rows.clear();
}

std::vector<Step> Replayer::render(const Transaction& transaction, const FilteredTransaction& filtered) {
  std::vector<Step> out;
  const auto& format = reader_.format(transaction.file_index);
  std::vector<Bytes> rows;
  std::uint64_t rows_position = 0;
  for (std::size_t i = 0; i < transaction.events.size(); ++i) {
    if (!filtered.include[i]) continue;
    const binlog::Event& event = transaction.events[i].event;
    bool row_based = event.as<binlog::TableMapEvent>() || event.as<binlog::RowsEvent>();
    if (!row_based) flush_rows(rows, format, rows_position, out);
    if (row_based) {
      if (format_sent_ != transaction.file_index) {
        const auto& fde = reader_.format_event(transaction.file_index);
        out.push_back({"BINLOG '\n" + base64(fde.data(), fde.size()) + "\n'", event.position});
        format_sent_ = transaction.file_index;
      }
      Bytes raw = event.raw;
      if (event.payload_index != 0) add_checksum(raw, format);
      if (auto* map = event.as<binlog::TableMapEvent>(); map && rename_.active() && map->database == rename_.from)
        raw = rewrite_table_map_database(raw, format, rename_.to);
      if (rows.empty()) rows_position = event.position;
      bool statement_end = event.as<binlog::RowsEvent>() && has_statement_end(raw, format);
      rows.push_back(std::move(raw));
      std::size_t bytes = 0;
      for (const auto& r : rows) bytes += r.size();
      if (statement_end || bytes > (8u << 20)) flush_rows(rows, format, rows_position, out);
      continue;
    }
    if (auto* query = event.as<binlog::QueryEvent>()) {
      const auto& statement = transaction.events[i].statement;
      // CREATE DATABASE x is logged under x, which does not exist yet: no USE before it.
      std::string database = statement && statement->names_database ? "" : query->database;
      if (rename_.active() && database == rename_.from) database = rename_.to;
      std::vector<std::string> context;
      session_.prepare(*query, event.header.timestamp, database, context);
      for (auto& sql : context) out.push_back({std::move(sql), event.position});
      bool no_backslash = query->status.sql_mode && (*query->status.sql_mode & kNoBackslashEscapes);
      out.push_back({rename_.active() ? sqlload::rename_database(query->sql, rename_, no_backslash) : query->sql,
                     event.position});
      if (statement && statement->drops_database) session_.forget_database();
      continue;
    }
    if (auto* intvar = event.as<binlog::IntvarEvent>()) out.push_back({intvar_sql(*intvar), event.position});
    else if (auto* rand = event.as<binlog::RandEvent>()) out.push_back({rand_sql(*rand), event.position});
    else if (auto* var = event.as<binlog::UserVarEvent>())
      out.push_back({with_context(fmt::format("{} at {}", chain_.files[transaction.file_index].name, event.position),
                                  [&] { return user_var_sql(*var, collations_); }),
                     event.position});
  }
  flush_rows(rows, format, rows_position, out);
  return out;
}


std::string Replayer::progress_sql(const std::string& state) const {
  return progress_update_sql(options_.target, chain_.files[seen_file_].name, seen_position_, applied_total_, state);
}

void Replayer::fail_at(const Transaction& transaction, std::uint64_t position, const Error& error) const {
  throw failure("replaying {} at {}:{} (transaction starting at {}{}): {}", options_.target,
                chain_.files[transaction.file_index].name, position, transaction.position,
                transaction.gtid.empty() ? "" : ", GTID " + transaction.gtid, error.message());
}

// Runs the transaction's statements one round trip each, so a failure names its event. Used for
// a failed group's transactions and for statements that commit on their own.
void Replayer::run_one_by_one(const Transaction& transaction, const FilteredTransaction& filtered,
                              bool in_transaction) {
  auto steps = render(transaction, filtered);
  if (in_transaction) connection_.execute("START TRANSACTION");
  for (const auto& step : steps) {
    try {
      connection_.execute(step.sql);
    } catch (const Error& error) {
      if (in_transaction) {
        try {
          connection_.execute("ROLLBACK");
        } catch (const Error&) {
        }
      }
      session_.reset();
      format_sent_ = static_cast<std::size_t>(-1);
      fail_at(transaction, step.position, error);
    }
  }
}

void Replayer::flush_group() {
  if (group_.empty()) return;
  group_sql_ += progress_sql() + ";\nCOMMIT";
  try {
    run_batch(connection_, group_sql_, group_statements_ + 3);
    ++result_.groups;
  } catch (const Error&) {
    // The batch stopped at the failing statement: roll the group back and replay it one
    // transaction and one statement at a time to name the exact event.
    try {
      connection_.execute("ROLLBACK");
    } catch (const Error&) {
    }
    ++result_.fallbacks;
    session_.reset();
    format_sent_ = static_cast<std::size_t>(-1);
    std::uint64_t applied_before = applied_total_ - group_.size();
    std::size_t seen_file = seen_file_;
    std::uint64_t seen_position = seen_position_;
    std::uint64_t done = 0;
    for (const auto& pending : group_) {
      run_one_by_one(pending.transaction, pending.filtered, true);
      ++done;
      seen_file_ = pending.transaction.file_index;
      seen_position_ = pending.transaction.end_position;
      applied_total_ = applied_before + done;
      connection_.execute(progress_sql());
      connection_.execute("COMMIT");
    }
    seen_file_ = seen_file;
    seen_position_ = seen_position;
    connection_.execute(progress_sql());
  }
  group_.clear();
  group_sql_.clear();
  group_statements_ = 0;
}

void Replayer::run_isolated(const Transaction& transaction, const FilteredTransaction& filtered) {
  flush_group();
  // Record the statement's position before it runs: it commits on its own, so if the replay dies
  // while it runs, only the operator can tell whether it took effect (see progress_table.hpp).
  seen_file_ = transaction.file_index;
  seen_position_ = transaction.position;
  connection_.execute(progress_sql("statement"));
  bool wrap = transaction.explicit_begin;
  run_one_by_one(transaction, filtered, wrap);
  if (wrap) connection_.execute(transaction.ended_by_rollback ? "ROLLBACK" : "COMMIT");
  ++applied_total_;
  seen_file_ = transaction.file_index;
  seen_position_ = transaction.end_position;
  connection_.execute(progress_sql());
}

ReplayResult Replayer::run(const ReplayProgressFunction& progress) {
  auto started = std::chrono::steady_clock::now();
  applied_total_ = options_.transactions_before;
  std::size_t limit = options_.group_bytes;
  if (auto packet = connection_.scalar("SELECT @@max_allowed_packet"))
    limit = std::min<std::size_t>(limit, std::stoull(*packet) / 2);
  auto last_report = std::chrono::steady_clock::now();
  while (auto transaction = reader_.next()) {
    const std::string& file_name = chain_.files[transaction->file_index].name;
    auto filtered = filter_transaction(*transaction, options_.database, options_.include_ambiguous, file_name);
    if (!filtered.ambiguous.empty() && !options_.include_ambiguous) {
      const auto& first = filtered.ambiguous.front();
      flush_group();
      throw precondition_error("{}:{}: statement cannot be attributed to a database with certainty ({}): {}; pass "
                               "--include-ambiguous to apply such statements",
                               first.file, first.position, first.reason, first.sql);
    }
    result_.last_event_time = transaction->timestamp;
    if (!filtered.touches) {
      ++result_.skipped;
      seen_file_ = transaction->file_index;
      seen_position_ = transaction->end_position;
    } else if (filtered.isolated) {
      result_.statements += filtered.statements;
      result_.row_events += filtered.row_events;
      run_isolated(*transaction, filtered);
      ++result_.applied;
    } else {
      result_.statements += filtered.statements;
      result_.row_events += filtered.row_events;
      if (group_.empty()) group_sql_ = "START TRANSACTION;\n";
      // The newline before each semicolon ends a trailing `-- comment` of a logged statement.
      for (auto& step : render(*transaction, filtered)) {
        group_sql_ += step.sql;
        group_sql_ += "\n;\n";
        ++group_statements_;
      }
      seen_file_ = transaction->file_index;
      seen_position_ = transaction->end_position;
      ++applied_total_;
      ++result_.applied;
      group_.push_back({std::move(*transaction), std::move(filtered)});
      if (group_sql_.size() >= limit || group_.size() >= options_.group_transactions) flush_group();
    }
    if (progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_report > std::chrono::milliseconds(200)) {
        last_report = now;
        const auto& file = chain_.files[seen_file_];
        progress({file.name, seen_position_, file.size, seen_file_, chain_.files.size(), result_.last_event_time,
                  applied_total_, result_.skipped});
      }
    }
  }
  flush_group();
  // Skipped transactions at the end still move the record: a resume continues after them.
  connection_.execute(progress_sql());
  result_.end = reader_.end();
  result_.final_file = chain_.files.empty() ? "" : chain_.files[result_.end.file_index].name;
  result_.final_position = result_.end.position;
  result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result_;
}

}  // namespace

ReplayResult replay(mysql::Connection& connection, const Chain& chain, std::uint64_t start_position,
                    const StopPoint& stop, const ReplayOptions& options, const Collations& collations,
                    const ReplayProgressFunction& progress) {
  TransactionReader reader(chain, start_position, stop);
  Replayer replayer(connection, chain, options, collations, reader);
  return replayer.run(progress);
}

Collations read_collations(mysql::Connection& connection) {
  Collations out;
  for (const auto& row : connection.rows("SELECT ID, COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS")) {
    if (!row[0] || !row[1] || !row[2]) continue;
    out[static_cast<std::uint32_t>(std::stoul(*row[0]))] = {*row[2], *row[1]};
  }
  return out;
}

}  // namespace mysqlpitr::pitr
