#include "sqlload/loader.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "sqlload/batch.hpp"
#include "sqlload/dispatcher.hpp"
#include "sqlload/dump_reader.hpp"
#include "sqlload/lexer.hpp"
#include "sqlload/session_log.hpp"

namespace mysqlpitr::sqlload {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kOwnStatementsBytes = 16;  // ";\nCOMMIT" after a batch's rows

mysql::Connection open_connection(const LoadOptions& options) {
  mysql::ConnectionOptions connection_options = options.connection;
  connection_options.multi_statements = true;
  mysql::Connection connection = mysql::Connection::open(connection_options);
  // The checks a DBA turns off for a restore: the rows were valid when they were dumped.
  connection.execute("SET SESSION foreign_key_checks=0, unique_checks=0");
  if (options.skip_binlog) connection.execute("SET SESSION sql_log_bin=0");
  return connection;
}

std::string table_key(const Classification& what, const std::string& current_database) {
  return (what.database.empty() ? current_database : what.database) + "." + what.table;
}

bool enables_keys(const std::string& sql) {
  auto tokens = significant_tokens(sql);
  return tokens.size() >= 2 && is_keyword(tokens[tokens.size() - 2], "ENABLE");
}

// One data connection: runs the row tasks it takes, each with the dump's session settings as they
// were where its rows are in the file (SET NAMES, sql_mode, time_zone, USE ...).
void run_data_connection(unsigned number, const LoadOptions& options, const std::string& path,
                         const SessionLog& log, Dispatcher& dispatcher) {
  try {
    mysql::Connection connection = open_connection(options);
    size_t applied = 0;
    while (auto task = dispatcher.pop(number, applied)) {
      if (task->session < applied) {
        // Rows read before settings this session has run since (another database's USE, SET
        // NAMES...): a fresh session replays the log up to them. Batches end with COMMIT, so
        // nothing is open on the old one.
        connection = open_connection(options);
        applied = 0;
      }
      log.replay(connection, applied, task->session, path);
      if (task->after_earlier) dispatcher.wait_earlier(*task);
      task->batch.run(connection, path, OnDeadlock::retry);
      dispatcher.done(*task);
    }
  } catch (...) {
    dispatcher.fail(std::current_exception());
  }
}

struct Deferred {
  size_t session;  // session log position the statement belongs after
  Statement statement;
};

// Reads the dump once on the calling thread: definitions run in file order on the main
// connection, rows go in batches to the data connections, objects wait until all rows are in.
class Load {
 public:
  Load(const DumpSource& source, const LoadOptions& options, const ProgressFunction& progress)
      : source_(source), path_(source.name), options_(options), progress_(progress), main_(open_connection(options)) {
    batch_limit_ = options.batch_bytes;
    if (auto packet = main_.scalar("SELECT @@max_allowed_packet"))
      batch_limit_ = std::min<size_t>(batch_limit_, std::stoull(*packet) / 2);
  }

  LoadResult run() {
    auto started = Clock::now();
    if (!options_.initial_database.empty()) {
      Statement use{"USE " + mysql::quote_identifier(options_.initial_database), 0, 1, true};
      run_statement(main_, use, path_);
      log_.append(use, true);
      database_ = options_.initial_database;
    }
    unsigned jobs = std::max(1u, options_.jobs);
    // Reading runs far ahead of inserting: the queue holds whole tables of a few MiB each so that
    // every connection loads a table of its own (see Dispatcher), and at least four batches per
    // connection so that none runs dry while the reading thread waits for a core on a busy
    // machine. Memory stays independent of the dump's size.
    Dispatcher dispatcher(std::max<size_t>(jobs * 4 * batch_limit_, options_.read_ahead_bytes));
    dispatcher_ = &dispatcher;
    {
      std::vector<std::jthread> threads;
      try {
        for (unsigned number = 0; number < jobs; ++number)
          threads.emplace_back([&, number] { run_data_connection(number, options_, path_, log_, dispatcher); });
        read_dump();
        dispatcher.close();
        dispatcher.wait_idle([&] { report_progress(false); });
      } catch (...) {
        dispatcher.fail(std::current_exception());  // every connection stops after its round trip
      }
    }  // joins the data connections
    dispatcher.rethrow_if_failed();
    create_deferred_objects();
    result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report_progress(true);
    return result_;
  }

 private:
  void read_dump() {
    DumpReader reader(source_, options_.rename);
    DumpStatement item;
    while (reader.next(item)) {
      ++result_.statements;
      handle(item);
      file_bytes_ = reader.file_bytes_read();
      sql_bytes_ = reader.sql_bytes_read();
      report_progress(false);
    }
    dispatch();
    result_.sql_bytes = reader.sql_bytes_read();
  }

  // With a table selection: whether the statement is one of those tables' (its definition, rows,
  // triggers) or sets the session up; everything else is passed over.
  bool selected(const Classification& what) const {
    const auto& tables = options_.tables;
    if (tables.empty()) return true;
    switch (what.kind) {
      case StatementKind::session:
      case StatementKind::use:
      case StatementKind::transaction: return true;
      case StatementKind::data:
      case StatementKind::table: break;
      case StatementKind::object:
        if (what.object != "trigger") return false;
        break;
      default: return false;
    }
    bool same_database = what.database.empty() || what.database == database_;
    return same_database && !what.table.empty() && std::find(tables.begin(), tables.end(), what.table) != tables.end();
  }

  void handle(DumpStatement& item) {
    const Classification& what = item.what;
    if (!selected(what)) return;
    switch (what.kind) {
      case StatementKind::data:
        ++result_.data_statements;
        add_rows(table_key(what, database_), item.statement);
        return;
      case StatementKind::lock:
        // LOCK TABLES would only serialise the connections.
        return;
      case StatementKind::transaction:
        // Rows commit with their batch on the data connections; what runs here (UPDATE, DELETE,
        // CALL... after a `SET autocommit=0`) is committed or rolled back where the dump says, as
        // the mysql client does.
        run_statement(main_, item.statement, path_);
        return;
      case StatementKind::session:
      case StatementKind::use:
        dispatch();
        run_statement(main_, item.statement, path_);
        log_.append(item.statement, what.kind == StatementKind::use);
        if (what.kind == StatementKind::use) database_ = what.database;
        return;
      case StatementKind::table:
        dispatch();
        run_table_statement(what, item.statement);
        return;
      case StatementKind::database:
        if (!what.create && !what.drop) {
          // mysqldump switches the database's collation around the routines it creates.
          deferred_.push_back({log_.size(), std::move(item.statement)});
          return;
        }
        dispatch();
        wait_all_rows();
        run_statement(main_, item.statement, path_);
        return;
      case StatementKind::object:
        deferred_.push_back({log_.size(), std::move(item.statement)});
        return;
      case StatementKind::other:
        dispatch();
        wait_all_rows();
        run_statement(main_, item.statement, path_);
        return;
    }
  }

  void run_table_statement(const Classification& what, const Statement& statement) {
    if (what.table.empty()) {
      wait_all_rows();  // RENAME TABLE and the like: no single table to wait for
      run_statement(main_, statement, path_);
      return;
    }
    std::string key = table_key(what, database_);
    if (what.keys) {
      if (innodb_.count(key)) return;  // InnoDB ignores DISABLE/ENABLE KEYS (the server only notes it)
      if (enables_keys(statement.text)) {
        // Rebuilding the keys is the long part of a MyISAM load: a data connection does it once
        // the table's rows are in, while the reader goes on with the next tables.
        DataTask task{key, log_.size(), {}, true};
        task.batch.add(statement);
        dispatcher_->push(std::move(task));
        return;
      }
    }
    dispatcher_->wait_table_idle(key, [&] { report_progress(false); });
    run_statement(main_, statement, path_);
    if (what.create) {
      ++result_.tables;
      if (what.innodb) innodb_.insert(key);
      else innodb_.erase(key);
    }
  }

  // Rows are gathered into batches of one table, each sent in one round trip.
  void add_rows(const std::string& key, const Statement& statement) {
    table_ = key;
    bool fits = open_.batch.bytes() + statement.text.size() <= batch_limit_;
    if (!open_.batch.empty() && (key != open_.table || !fits || statement.custom_delimiter)) dispatch();
    if (open_.batch.empty()) {
      open_.table = key;
      open_.session = log_.size();
      open_.batch.cap_growth(batch_limit_ + kOwnStatementsBytes);
    }
    open_.batch.add(statement);
    if (statement.custom_delimiter) dispatch();  // must travel on its own
  }

  void dispatch() {
    if (open_.batch.empty()) return;
    // A dump made with --no-autocommit sets autocommit=0 and commits after each table; those
    // COMMITs are not replayed on the data connections, so each batch commits its own rows.
    open_.batch.add_own("COMMIT");
    dispatcher_->push(std::move(open_));
    open_ = DataTask{};
  }

  void wait_all_rows() { dispatcher_->wait_idle([&] { report_progress(false); }); }

  void create_deferred_objects() {
    if (deferred_.empty()) return;
    // A fresh session replays the dump's settings up to each object, so every object is created
    // with the sql_mode, character set and database it had in the file.
    mysql::Connection connection = open_connection(options_);
    size_t applied = 0;
    for (const Deferred& item : deferred_) {
      log_.replay(connection, applied, item.session, path_);
      run_statement(connection, item.statement, path_);
      ++result_.objects;
    }
  }

  void report_progress(bool force) {
    if (!progress_) return;
    auto now = Clock::now();
    if (!force && now - last_progress_ < std::chrono::milliseconds(200)) return;
    last_progress_ = now;
    LoadProgress p;
    p.file_bytes = file_bytes_;
    p.sql_bytes = sql_bytes_;
    p.statements = result_.statements;
    p.tables = result_.tables;
    p.table = table_;
    progress_(p);
  }

  const DumpSource& source_;
  std::string path_;
  const LoadOptions& options_;
  const ProgressFunction& progress_;
  mysql::Connection main_;
  size_t batch_limit_;
  Dispatcher* dispatcher_ = nullptr;
  DataTask open_;            // rows gathered for the next task
  SessionLog log_;
  std::string database_;     // selected by the dump's last USE
  std::set<std::string> innodb_;
  std::vector<Deferred> deferred_;
  LoadResult result_;
  unsigned long long file_bytes_ = 0, sql_bytes_ = 0;
  std::string table_;
  Clock::time_point last_progress_{};
};

}  // namespace

LoadResult load_dump(const DumpSource& source, const LoadOptions& options, const ProgressFunction& progress) {
  Load load(source, options, progress);
  return load.run();
}

}  // namespace mysqlpitr::sqlload
