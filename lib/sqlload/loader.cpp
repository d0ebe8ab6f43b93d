#include "sqlload/loader.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "sqlload/batch.hpp"
#include "sqlload/coordinator.hpp"
#include "sqlload/dump_reader.hpp"
#include "sqlload/session_log.hpp"

namespace mysqlpitr::sqlload {
namespace {

using Clock = std::chrono::steady_clock;

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

// What every connection tracks the same way while reading: the current database, how many times
// each table was created so far (a table dropped and created again is another table to load),
// and which tables are InnoDB (DISABLE/ENABLE KEYS do nothing there: the server only notes it).
struct ReadState {
  std::string database;
  std::map<std::string, unsigned> generations;
  std::set<std::string> innodb;

  void follow(const Classification& what) {
    if (what.kind == StatementKind::use) database = what.database;
    if (what.kind == StatementKind::table && what.create && !what.table.empty()) {
      std::string key = table_key(what, database);
      ++generations[key];
      if (what.innodb) innodb.insert(key);
      else innodb.erase(key);
    }
  }
  // The table a data or keys statement loads, with its generation.
  std::string load_key(const Classification& what) const {
    std::string key = table_key(what, database);
    auto found = generations.find(key);
    return key + "#" + std::to_string(found == generations.end() ? 0 : found->second);
  }
};

// One data connection: reads the whole dump, runs session settings and the rows of the tables it
// claims, skips everything else.
class DataStream {
 public:
  DataStream(unsigned index, const std::string& path, const LoadOptions& options, Coordinator& coordinator,
             size_t batch_limit)
      : index_(index), path_(path), options_(options), coordinator_(coordinator), batch_limit_(batch_limit) {}

  void run() {
    try {
      DumpReader reader(path_, options_.rename);
      reader_ = &reader;
      mysql::Connection connection = open_connection(options_);
      if (!options_.initial_database.empty())
        connection.execute("USE " + mysql::quote_identifier(options_.initial_database));
      DumpStatement item;
      unsigned long long i = 0;
      while (reader.next(item)) {
        if (coordinator_.failed()) return;
        current_ = i;
        handle(connection, item, i);
        ++i;
        unsigned long long position = batch_.empty() ? i : batch_start_;
        coordinator_.stream_at(index_, position, reader.sql_bytes_read(), reader.file_bytes_read());
      }
      current_ = i;
      flush(connection);
      coordinator_.stream_at(index_, Coordinator::kEnd, reader.sql_bytes_read(), reader.file_bytes_read());
    } catch (...) {
      coordinator_.fail(std::current_exception());
    }
  }

 private:
  void handle(mysql::Connection& connection, DumpStatement& item, unsigned long long i) {
    const Classification& what = item.what;
    switch (what.kind) {
      case StatementKind::lock:
      case StatementKind::transaction:
        // LOCK TABLES would only serialise the connections; every INSERT commits on its own.
        return;
      case StatementKind::data: {
        std::string key = state_.load_key(what);
        if (!coordinator_.claim(key, index_)) return;
        bool fits = batch_.bytes() + item.statement.text.size() <= batch_limit_;
        if (!batch_.empty() && (key != batch_key_ || !fits || item.statement.custom_delimiter)) flush(connection);
        if (batch_.empty()) {
          batch_key_ = key;
          batch_start_ = i;
          coordinator_.wait_main(i);
        }
        batch_.add(item.statement);
        if (item.statement.custom_delimiter) flush(connection);
        return;
      }
      case StatementKind::table:
        flush(connection);
        if (what.keys) {
          std::string key = state_.load_key(what);
          if (state_.innodb.count(key.substr(0, key.rfind('#'))) || !coordinator_.claim(key, index_)) return;
          coordinator_.wait_main(i);
          run_statement(connection, item.statement, path_);
          return;
        }
        state_.follow(what);
        return;
      case StatementKind::session:
      case StatementKind::use:
        flush(connection);
        coordinator_.wait_main(i);
        run_statement(connection, item.statement, path_);
        state_.follow(what);
        return;
      default:
        flush(connection);
        return;
    }
  }

  void flush(mysql::Connection& connection) {
    if (batch_.empty()) return;
    batch_.run(connection, path_);
    batch_.clear();
    // Everything before the statement in hand is done: the main connection may be waiting for it.
    coordinator_.stream_at(index_, current_, reader_->sql_bytes_read(), reader_->file_bytes_read());
  }

  unsigned index_;
  const std::string& path_;
  const LoadOptions& options_;
  Coordinator& coordinator_;
  size_t batch_limit_;
  ReadState state_;
  DumpReader* reader_ = nullptr;
  unsigned long long current_ = 0;  // index of the statement in hand
  Batch batch_;
  std::string batch_key_;
  unsigned long long batch_start_ = 0;
};

struct Deferred {
  size_t session;  // session log position the statement belongs after
  Statement statement;
};

// The main connection: definitions in file order, objects after all rows, progress.
class Load {
 public:
  Load(const std::string& path, const LoadOptions& options, const ProgressFunction& progress)
      : path_(path),
        options_(options),
        progress_(progress),
        main_(open_connection(options)),
        coordinator_(std::max(1u, options.jobs)) {
    batch_limit_ = options.batch_bytes;
    if (auto packet = main_.scalar("SELECT @@max_allowed_packet"))
      batch_limit_ = std::min<size_t>(batch_limit_, std::stoull(*packet) / 2);
  }

  LoadResult run() {
    auto started = Clock::now();
    if (!options_.initial_database.empty()) {
      Statement use{"USE " + mysql::quote_identifier(options_.initial_database), 0, 1, true};
      run_statement(main_, use, path_);
      log_.append(use);
      state_.database = options_.initial_database;
    }
    std::vector<DataStream> streams;
    for (unsigned s = 0; s < std::max(1u, options_.jobs); ++s)
      streams.emplace_back(s, path_, options_, coordinator_, batch_limit_);
    {
      std::vector<std::jthread> threads;
      for (auto& stream : streams) threads.emplace_back([&stream] { stream.run(); });
      try {
        read_definitions();
        coordinator_.wait_streams_past(Coordinator::kEnd - 1, [&] { report_progress(false); });
      } catch (...) {
        coordinator_.fail(std::current_exception());  // stops the data connections; threads join below
      }
    }
    coordinator_.rethrow_if_failed();
    create_deferred_objects();
    result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report_progress(true);
    return result_;
  }

 private:
  void read_definitions() {
    DumpReader reader(path_, options_.rename);
    DumpStatement item;
    unsigned long long i = 0;
    while (reader.next(item)) {
      ++result_.statements;
      handle(item, i);
      coordinator_.main_passed(++i);
      report_progress(false);
    }
    result_.sql_bytes = reader.sql_bytes_read();
    coordinator_.main_passed(Coordinator::kEnd);
  }

  void handle(DumpStatement& item, unsigned long long i) {
    const Classification& what = item.what;
    switch (what.kind) {
      case StatementKind::data: {
        ++result_.data_statements;
        last_rows_[table_key(what, state_.database)] = i;
        last_rows_any_ = i;
        any_rows_ = true;
        return;
      }
      case StatementKind::lock:
      case StatementKind::transaction:
        return;
      case StatementKind::session:
      case StatementKind::use:
        run_statement(main_, item.statement, path_);
        log_.append(item.statement);
        state_.follow(what);
        return;
      case StatementKind::table: {
        if (what.keys) return;  // the connection loading the table runs them
        if (what.table.empty()) {
          wait_for_all_rows();
        } else {
          auto found = last_rows_.find(table_key(what, state_.database));
          if (found != last_rows_.end()) coordinator_.wait_streams_past(found->second, {});
        }
        run_statement(main_, item.statement, path_);
        if (what.create) ++result_.tables;
        state_.follow(what);
        return;
      }
      case StatementKind::database:
        if (!what.create && !what.drop) {
          // mysqldump switches the database's collation around the routines it creates.
          deferred_.push_back({log_.size(), std::move(item.statement)});
          return;
        }
        wait_for_all_rows();
        run_statement(main_, item.statement, path_);
        return;
      case StatementKind::object:
        deferred_.push_back({log_.size(), std::move(item.statement)});
        return;
      case StatementKind::other:
        wait_for_all_rows();
        run_statement(main_, item.statement, path_);
        return;
    }
  }

  void wait_for_all_rows() {
    if (any_rows_) coordinator_.wait_streams_past(last_rows_any_, [&] { report_progress(false); });
  }

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
    p.file_bytes = coordinator_.file_bytes();
    p.sql_bytes = coordinator_.sql_bytes();
    p.statements = result_.statements;
    p.tables = result_.tables;
    progress_(p);
  }

  std::string path_;
  const LoadOptions& options_;
  const ProgressFunction& progress_;
  mysql::Connection main_;
  Coordinator coordinator_;
  size_t batch_limit_;
  SessionLog log_;
  ReadState state_;
  std::map<std::string, unsigned long long> last_rows_;  // table -> index of its last row statement
  unsigned long long last_rows_any_ = 0;
  bool any_rows_ = false;
  std::vector<Deferred> deferred_;
  LoadResult result_;
  Clock::time_point last_progress_{};
};

}  // namespace

LoadResult load_dump(const std::string& path, const LoadOptions& options, const ProgressFunction& progress) {
  Load load(path, options, progress);
  return load.run();
}

}  // namespace mysqlpitr::sqlload
