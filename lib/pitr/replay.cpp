#include "pitr/replay.hpp"

#include <chrono>

#include "binlog/event_type.hpp"
#include "core/error.hpp"
#include "pitr/batch.hpp"
#include "pitr/event_rewrite.hpp"
#include "pitr/resume_record.hpp"
#include "pitr/row_statement.hpp"
#include "sqlload/rename.hpp"

namespace mysqlpitr::pitr {
namespace {

constexpr std::uint64_t kNoBackslashEscapes = 1u << 20;  // MODE_NO_BACKSLASH_ESCAPES
constexpr int kRecordMoved = 1242;  // ER_SUBQUERY_NO_1_ROW: resume_record_update_sql()'s refusal

// One statement of the replay and the event it comes from (for error messages). A BINLOG
// statement of row events names the first and last of them.
struct Step {
  std::string sql;
  std::uint64_t position = 0;
  std::uint64_t last_position = 0;
  bool rows = false;
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
  void add_to_group(Transaction&& transaction, FilteredTransaction&& filtered);
  bool send_group_part();
  void flush_group();
  void replay_group_one_by_one(const Error& error);
  void run_isolated(const Transaction& transaction, const FilteredTransaction& filtered);
  void run_one_by_one(const Transaction& transaction, const FilteredTransaction& filtered, bool in_transaction);
  ResumeMark mark(const std::string& state = "replaying") const;
  void move_record(const std::string& state = "replaying");
  [[noreturn]] void record_moved();
  void stop_if_record_moved();
  [[noreturn]] void fail_at(const Transaction& transaction, const Step& step, const Error& error,
                            std::string_view note = "") const;

  mysql::Connection& connection_;
  const Chain& chain_;
  const ReplayOptions& options_;
  const Collations& collations_;
  TransactionReader& reader_;
  sqlload::Rename rename_;
  SessionContext session_;
  std::size_t format_sent_ = static_cast<std::size_t>(-1);  // chain index of the FDE the session has
  std::size_t packet_limit_ = 4 << 20;  // SQL per round trip
  std::size_t rows_limit_ = 3 << 20;    // row events per BINLOG statement (base64 grows them by 4/3)

  struct Pending {
    Transaction transaction;
    FilteredTransaction filtered;
  };
  // The open group: its transactions, and the SQL not sent yet (a group larger than a round
  // trip is sent in parts inside its one transaction).
  std::vector<Pending> group_;
  std::string group_sql_;
  std::size_t group_statements_ = 0;
  // Where the next transaction starts (the progress record's value once the group commits).
  std::size_t seen_file_ = 0;
  std::uint64_t seen_position_ = 0;
  std::uint64_t applied_total_ = 0;
  ResumeMark recorded_;  // the record as this run last wrote it (resume_record.hpp)
  ReplayResult result_;
};

std::vector<Step> Replayer::render(const Transaction& transaction, const FilteredTransaction& filtered) {
  std::vector<Step> out;
  const auto& format = reader_.format(transaction.file_index);
  RowStatements rows(format, rows_limit_);
  std::vector<RowChunk> chunks;
  auto take_chunks = [&] {
    for (auto& chunk : chunks) out.push_back({std::move(chunk.sql), chunk.first, chunk.last, true});
    chunks.clear();
  };
  for (std::size_t i = 0; i < transaction.events.size(); ++i) {
    if (!filtered.include[i]) continue;
    const binlog::Event& event = transaction.events[i].event;
    auto* map = event.as<binlog::TableMapEvent>();
    if (map || event.as<binlog::RowsEvent>()) {
      if (format_sent_ != transaction.file_index) {
        const auto& fde = reader_.format_event(transaction.file_index);
        out.push_back({"BINLOG '\n" + base64(fde.data(), fde.size()) + "\n'", event.position, event.position, false});
        format_sent_ = transaction.file_index;
      }
      Bytes raw = event.raw;
      if (event.payload_index != 0) add_checksum(raw, format);
      if (map) {
        if (rename_.active() && map->database == rename_.from) raw = rewrite_table_map_database(raw, format, rename_.to);
        rows.add_map(std::move(raw), chunks);
      } else {
        rows.add_rows(std::move(raw), event.position, chunks);
      }
      take_chunks();
      continue;
    }
    rows.finish(chunks);
    take_chunks();
    auto step = [&](std::string sql) { out.push_back({std::move(sql), event.position, event.position, false}); };
    if (auto* query = event.as<binlog::QueryEvent>()) {
      const auto& statement = transaction.events[i].statement;
      // CREATE DATABASE x is logged under x, which does not exist yet: no USE before it.
      std::string database = statement && statement->names_database ? "" : query->database;
      if (rename_.active() && database == rename_.from) database = rename_.to;
      std::vector<std::string> context;
      session_.prepare(*query, event.header.timestamp, database, context);
      for (auto& sql : context) step(std::move(sql));
      bool no_backslash = query->status.sql_mode && (*query->status.sql_mode & kNoBackslashEscapes);
      step(rename_.active() ? sqlload::rename_database(query->sql, rename_, no_backslash) : query->sql);
      if (statement && statement->drops_database) session_.forget_database();
      continue;
    }
    if (auto* intvar = event.as<binlog::IntvarEvent>()) step(intvar_sql(*intvar));
    else if (auto* rand = event.as<binlog::RandEvent>()) step(rand_sql(*rand));
    else if (auto* var = event.as<binlog::UserVarEvent>())
      step(with_context(fmt::format("{} at {}", chain_.files[transaction.file_index].name, event.position),
                        [&] { return user_var_sql(*var, collations_); }));
  }
  rows.finish(chunks);
  take_chunks();
  return out;
}

ResumeMark Replayer::mark(const std::string& state) const {
  return {chain_.files[seen_file_].name, seen_position_, applied_total_, state};
}

// Moves the record in the open transaction (or on its own under autocommit). An unchanged record
// is not written: the server counts changed rows, so the check below could not tell it apart.
void Replayer::move_record(const std::string& state) {
  ResumeMark next = mark(state);
  if (next == recorded_) return;
  std::uint64_t changed = 0;
  try {
    changed = connection_.execute(resume_record_update_sql(options_.target, recorded_, next),
                                  mysql::Connection::Echo::none);
  } catch (const Error& error) {
    if (error.server_code() != kRecordMoved) throw;
  }
  if (changed != 1) record_moved();
  recorded_ = std::move(next);
}

void Replayer::record_moved() {
  roll_back(connection_);  // what it leaves is beside the point: the replay stops here
  std::optional<ResumeRecord> now;
  try {
    now = read_resume_record(connection_, options_.target);
  } catch (const Error&) {
  }
  throw failure("{}", moved_record_message(options_.target, recorded_, now));
}

// After a group's rollback: a record moved by another run (its UPDATE failed the group) ends the
// replay here instead of replaying the group again beside that run.
void Replayer::stop_if_record_moved() {
  auto now = read_resume_record(connection_, options_.target);
  if (now && ResumeMark{now->file, now->position, now->transactions, now->state} == recorded_) return;
  throw failure("{}", moved_record_message(options_.target, recorded_, now));
}

void Replayer::fail_at(const Transaction& transaction, const Step& step, const Error& error,
                       std::string_view note) const {
  const std::string& file = chain_.files[transaction.file_index].name;
  std::string what = step.rows ? (step.last_position != step.position
                                      ? fmt::format("in the row events at {}..{} sent together", step.position,
                                                    step.last_position)
                                      : std::string("in its row event"))
                               : "in: " + one_line(step.sql);
  throw failure("replaying {} at {}:{} (transaction starting at {}{}): {} {}{}", options_.target, file, step.position,
                transaction.position, transaction.gtid.empty() ? "" : ", GTID " + transaction.gtid, error.message(),
                what, note);
}

// Runs the transaction's statements one round trip each, so a failure names its event. Used for
// a failed group's transactions and for statements that commit on their own.
void Replayer::run_one_by_one(const Transaction& transaction, const FilteredTransaction& filtered,
                              bool in_transaction) {
  auto steps = render(transaction, filtered);
  if (in_transaction) steps.insert(steps.begin(), {"START TRANSACTION", transaction.position, transaction.position});
  for (const auto& step : steps) {
    try {
      connection_.execute(step.sql, mysql::Connection::Echo::none);
    } catch (const Error& error) {
      Rollback rollback = in_transaction ? roll_back(connection_) : Rollback{};
      session_.reset();
      format_sent_ = static_cast<std::size_t>(-1);
      std::string note;
      if (!rollback.failed.empty())
        note = fmt::format("; rolling it back failed too ({}): its earlier changes to non-transactional tables, if "
                           "any, remain: check them before --resume, which replays the whole transaction",
                           rollback.failed);
      else if (rollback.left_changes)
        note = "; its earlier changes to non-transactional tables could not be rolled back: check them before "
               "--resume, which replays the whole transaction";
      fail_at(transaction, step, error, note);
    }
  }
}

// Appends a transaction to the open group. Its position and count are taken first, so that a
// failure while it is being sent finds the group complete.
void Replayer::add_to_group(Transaction&& transaction, FilteredTransaction&& filtered) {
  seen_file_ = transaction.file_index;
  seen_position_ = transaction.end_position;
  ++applied_total_;
  group_.push_back({std::move(transaction), std::move(filtered)});
  if (group_.size() == 1) {
    group_sql_ = "START TRANSACTION;\n";
    group_statements_ = 1;
  }
  for (auto& step : render(group_.back().transaction, group_.back().filtered)) {
    if (group_statements_ > 0 && group_sql_.size() + step.sql.size() > packet_limit_ && !send_group_part()) return;
    // The newline before each semicolon ends a trailing `-- comment` of a logged statement.
    group_sql_ += step.sql;
    group_sql_ += "\n;\n";
    ++group_statements_;
  }
  if (group_sql_.size() >= packet_limit_ || group_.size() >= options_.group_transactions) flush_group();
}

// Sends the group's SQL so far (inside its open transaction). False when that failed and the
// group was replayed one transaction at a time instead (it is then closed).
bool Replayer::send_group_part() {
  try {
    connection_.execute_batch(group_sql_, group_statements_);
    group_sql_.clear();
    group_statements_ = 0;
    return true;
  } catch (const Error& error) {
    if (mysql::session_lost(error)) {
      std::string where = group_.empty() ? std::string("a transaction")
                                         : fmt::format("the group of {} transactions from {} at {}", group_.size(),
                                                       chain_.files[group_.front().transaction.file_index].name,
                                                       group_.front().transaction.position);
      throw failure("the session ended while {} was sent: {} (nothing of it was committed but changes to "
                    "non-transactional tables such as MyISAM, which no rollback undoes: check those before "
                    "--resume, which continues from its start)",
                    where, error.what());
    }
    replay_group_one_by_one(error);
    return false;
  }
}

void Replayer::flush_group() {
  if (group_.empty()) return;
  // The record's UPDATE fails the batch before its COMMIT when the record no longer holds what
  // this run wrote (resume_record.hpp): a group is never committed beside another run's. One
  // round trip still carries the COMMIT, so a group the server has received commits whole even if
  // this process dies while it waits.
  ResumeMark next = mark();
  group_sql_ += resume_record_update_sql(options_.target, recorded_, next) + ";\nCOMMIT";
  group_statements_ += 2;
  if (!send_group_part()) return;  // replayed one by one instead, each moving the record itself
  recorded_ = std::move(next);
  ++result_.groups;
  group_.clear();
}

// The group's batch failed: roll it back and replay it one transaction and one statement at a
// time, each transaction committed with its progress, so the error names the exact event and
// everything before it stays applied for --resume.
void Replayer::replay_group_one_by_one(const Error& error) {
  Rollback rollback = roll_back(connection_);
  if (!rollback.failed.empty()) {
    const Transaction& first = group_.front().transaction;
    throw failure("replaying {}: the group of {} transactions from {} at {} failed ({}) and rolling it back failed "
                  "too ({}): nothing of it was committed, but its changes to non-transactional tables such as "
                  "MyISAM, if any, remain: check those before --resume, which replays the group from its start",
                  options_.target, group_.size(), chain_.files[first.file_index].name, first.position,
                  error.message(), rollback.failed);
  }
  if (rollback.left_changes) {
    // Only binlogs without MariaDB's transactional flag get here (see transactions.cpp): the
    // group's changes to non-transactional tables stay, and replaying it would repeat them.
    const Transaction& first = group_.front().transaction;
    const std::string& file = chain_.files[first.file_index].name;
    throw failure("replaying {}: the group of {} transactions from {} at {} failed ({}) and its ROLLBACK could not "
                  "undo its changes to non-transactional tables, so it is not replayed again; find the failing "
                  "statement with mysqlbinlog --start-position={} {}, undo the group's changes to those tables, "
                  "then --resume (it replays the group from its start)",
                  options_.target, group_.size(), file, first.position, error.message(), first.position, file);
  }
  stop_if_record_moved();
  ++result_.fallbacks;
  session_.reset();
  format_sent_ = static_cast<std::size_t>(-1);
  std::vector<Pending> group = std::move(group_);
  group_.clear();
  group_sql_.clear();
  group_statements_ = 0;
  std::uint64_t applied_before = applied_total_ - group.size();
  std::size_t seen_file = seen_file_;
  std::uint64_t seen_position = seen_position_;
  std::uint64_t done = 0;
  for (const auto& pending : group) {
    run_one_by_one(pending.transaction, pending.filtered, true);
    ++done;
    seen_file_ = pending.transaction.file_index;
    seen_position_ = pending.transaction.end_position;
    applied_total_ = applied_before + done;
    move_record();
    connection_.execute("COMMIT");
  }
  seen_file_ = seen_file;
  seen_position_ = seen_position;
  move_record();
}

void Replayer::run_isolated(const Transaction& transaction, const FilteredTransaction& filtered) {
  flush_group();
  // Record the statement's position before it runs: it commits on its own, so if the replay dies
  // while it runs, only the operator can tell whether it took effect (see resume_record.hpp).
  seen_file_ = transaction.file_index;
  seen_position_ = transaction.position;
  move_record("statement");
  bool wrap = transaction.explicit_begin;
  run_one_by_one(transaction, filtered, wrap);
  if (wrap) connection_.execute(transaction.ended_by_rollback ? "ROLLBACK" : "COMMIT");
  ++applied_total_;
  seen_file_ = transaction.file_index;
  seen_position_ = transaction.end_position;
  move_record();
}

ReplayResult Replayer::run(const ReplayProgressFunction& progress) {
  auto started = std::chrono::steady_clock::now();
  applied_total_ = options_.recorded.transactions;
  recorded_ = options_.recorded;
  packet_limit_ = options_.group_bytes;
  if (auto packet = connection_.scalar("SELECT @@max_allowed_packet"))
    packet_limit_ = std::min<std::size_t>(packet_limit_, std::stoull(*packet) / 2);
  rows_limit_ = std::max<std::size_t>(packet_limit_ / 4 * 3, 64 << 10);
  auto last_report = std::chrono::steady_clock::now();
  while (auto transaction = reader_.next()) {
    const std::string& file_name = chain_.files[transaction->file_index].name;
    auto filtered = filter_transaction(*transaction, options_.database, options_.include_ambiguous, file_name,
                                       options_.tables, &options_.hidden);
    auto refused = std::find_if(filtered.ambiguous.begin(), filtered.ambiguous.end(),
                                [&](const AmbiguousStatement& a) { return a.refuse || !options_.include_ambiguous; });
    if (refused != filtered.ambiguous.end()) {
      const auto& first = *refused;
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
      ++result_.applied;
      add_to_group(std::move(*transaction), std::move(filtered));
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
  move_record();
  stop_if_record_moved();  // a record deleted by another run's end changes no row without an error
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
