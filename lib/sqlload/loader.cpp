#include "sqlload/loader.hpp"

#include <chrono>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "sqlload/dump_reader.hpp"
#include "sqlload/worker_pool.hpp"

namespace mysqlpitr::sqlload {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> session_settings(const LoadOptions& options, bool worker) {
  // The checks a DBA turns off for a restore: the dump's rows were valid when dumped, and InnoDB
  // loads an empty table much faster (bulk insert) without them.
  std::vector<std::string> sql{"SET SESSION foreign_key_checks=0, unique_checks=0"};
  if (options.skip_binlog) sql.emplace_back("SET SESSION sql_log_bin=0");
  if (worker) sql.emplace_back("SET SESSION autocommit=0");  // each batch commits once
  return sql;
}

mysql::Connection open_connection(const LoadOptions& options, bool worker) {
  mysql::ConnectionOptions connection_options = options.connection;
  connection_options.multi_statements = true;
  mysql::Connection connection = mysql::Connection::open(connection_options);
  for (const auto& sql : session_settings(options, worker)) connection.execute(sql);
  return connection;
}

struct Deferred {
  size_t session;  // session log position the statement belongs after
  Statement statement;
};

class Load {
 public:
  Load(const std::string& path, const LoadOptions& options, const ProgressFunction& progress)
      : path_(path),
        options_(options),
        progress_(progress),
        reader_(path, options.rename),
        main_(open_connection(options, false)) {
    batch_limit_ = options.batch_bytes;
    if (auto packet = main_.scalar("SELECT @@max_allowed_packet"))
      batch_limit_ = std::min<size_t>(batch_limit_, std::stoull(*packet) / 2);
    pool_.emplace(options.jobs, options.connection, session_settings(options, true), log_, path,
                  batch_limit_ * (options.jobs + 2));
  }

  LoadResult run() {
    auto started = Clock::now();
    if (!options_.initial_database.empty()) {
      Statement use{"USE " + mysql::quote_identifier(options_.initial_database), 0, 1, true};
      run_main(use);
      log_.append(use);
      current_database_ = options_.initial_database;
    }
    DumpStatement item;
    while (reader_.next(item)) {
      ++result_.statements;
      handle(item);
      report_progress(false);
    }
    flush();
    pool_->finish();
    result_.batches = pool_->batches_done();
    create_deferred_objects();
    main_.execute("COMMIT");
    result_.sql_bytes = reader_.sql_bytes_read();
    result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    report_progress(true);
    return result_;
  }

 private:
  void handle(DumpStatement& item) {
    const Classification& what = item.what;
    Statement& statement = item.statement;
    switch (what.kind) {
      case StatementKind::data:
        if (statement.custom_delimiter || statement.text.rfind("/*", 0) == 0) {
          // Unusual form: run it alone, after the table's other rows.
          flush();
          std::string key = table_key(what);
          pool_->wait_table(key);
          run_main(statement);
        } else {
          add_data(statement, table_key(what));
        }
        ++result_.data_statements;
        return;
      case StatementKind::lock:
      case StatementKind::transaction:
        // LOCK TABLES ... WRITE would block the other connections loading the same table, and the
        // workers commit every batch themselves: mysqldump's wrappers have nothing left to do.
        return;
      case StatementKind::session:
      case StatementKind::use:
        flush();
        run_main(statement);
        log_.append(statement);
        if (what.kind == StatementKind::use) current_database_ = what.database;
        return;
      case StatementKind::table: {
        flush();
        std::string key = what.table.empty() ? std::string() : table_key(what);
        // DISABLE/ENABLE KEYS do nothing for InnoDB (the server says so in a note); skipping them
        // keeps the table's batches flowing instead of waiting for them here.
        if (what.keys && innodb_tables_.count(key)) return;
        if (key.empty()) pool_->wait_all();
        else pool_->wait_table(key);
        run_main(statement);
        if (what.create) {
          ++result_.tables;
          if (what.innodb) innodb_tables_.insert(key);
          else innodb_tables_.erase(key);
        }
        if (what.drop) innodb_tables_.erase(key);
        return;
      }
      case StatementKind::database:
        flush();
        if (!what.create && !what.drop) {
          // mysqldump switches the database's collation around the routines it creates.
          deferred_.push_back({log_.size(), std::move(statement)});
          return;
        }
        pool_->wait_all();
        run_main(statement);
        return;
      case StatementKind::object:
        flush();
        deferred_.push_back({log_.size(), std::move(statement)});
        return;
      case StatementKind::other:
        flush();
        pool_->wait_all();
        run_main(statement);
        return;
    }
  }

  std::string table_key(const Classification& what) const {
    return (what.database.empty() ? current_database_ : what.database) + "." + what.table;
  }

  void add_data(const Statement& statement, const std::string& key) {
    if (!batch_.batch.empty() && (batch_.table != key || batch_.batch.bytes() + statement.text.size() > batch_limit_))
      flush();
    if (batch_.batch.empty()) {
      batch_.table = key;
      batch_.session = log_.size();
      progress_state_.table = key;
    }
    batch_.batch.add(statement);
  }

  void flush() {
    if (batch_.batch.empty()) return;
    batch_.batch.add_own("COMMIT");
    pool_->submit(std::move(batch_));
    batch_ = DataBatch{};
  }

  void run_main(const Statement& statement) { run_statement(main_, statement, path_); }

  void create_deferred_objects() {
    if (deferred_.empty()) return;
    // A fresh session replays the dump's settings up to each object, so every object is created
    // with the sql_mode, character set and database it had in the file.
    mysql::Connection connection = open_connection(options_, false);
    size_t applied = 0;
    for (const Deferred& item : deferred_) {
      replay_session(connection, log_, applied, item.session, path_);
      run_statement(connection, item.statement, path_);
      ++result_.objects;
    }
    replay_session(connection, log_, applied, log_.size(), path_);
  }

  void report_progress(bool force) {
    if (!progress_) return;
    auto now = Clock::now();
    if (!force && now - last_progress_ < std::chrono::milliseconds(200)) return;
    last_progress_ = now;
    progress_state_.file_bytes = reader_.file_bytes_read();
    progress_state_.sql_bytes = reader_.sql_bytes_read();
    progress_state_.statements = result_.statements;
    progress_state_.tables = result_.tables;
    progress_(progress_state_);
  }

  std::string path_;
  const LoadOptions& options_;
  const ProgressFunction& progress_;
  DumpReader reader_;
  mysql::Connection main_;
  size_t batch_limit_;
  SessionLog log_;
  std::optional<WorkerPool> pool_;
  DataBatch batch_;
  std::vector<Deferred> deferred_;
  std::set<std::string> innodb_tables_;
  std::string current_database_;
  LoadResult result_;
  LoadProgress progress_state_;
  Clock::time_point last_progress_{};
};

}  // namespace

LoadResult load_dump(const std::string& path, const LoadOptions& options, const ProgressFunction& progress) {
  Load load(path, options, progress);
  return load.run();
}

}  // namespace mysqlpitr::sqlload
