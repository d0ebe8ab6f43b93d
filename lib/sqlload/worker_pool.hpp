#pragma once
// Table data loaded over several connections at once. The reader hands over batches of INSERTs;
// each worker first brings its session up to the point of the dump the batch comes from (the
// dump's SET and USE statements, kept in a shared log) and runs the batch in its own transaction.
// A failure in any worker stops the others and is rethrown to the reader.
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <deque>

#include "mysql/connection.hpp"
#include "sqlload/batch.hpp"

namespace mysqlpitr::sqlload {

// The dump's session statements (SET ..., USE ...) in file order; append-only.
class SessionLog {
 public:
  void append(const Statement& statement);
  size_t size() const;
  std::vector<Statement> range(size_t from, size_t to) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Statement> statements_;
};

// Brings `connection` from log position `applied` to `target`.
void replay_session(mysql::Connection& connection, const SessionLog& log, size_t& applied, size_t target,
                    const std::string& file);

struct DataBatch {
  Batch batch;
  std::string table;     // "db.table", for the per-table barrier
  size_t session = 0;    // session log position the batch belongs after
  unsigned long long rows_bytes = 0;
};

class WorkerPool {
 public:
  // `prepare` runs once on each new connection (session settings).
  WorkerPool(unsigned jobs, const mysql::ConnectionOptions& options, const std::vector<std::string>& prepare,
             const SessionLog& log, std::string file, size_t queue_bytes);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a batch, waiting while the queue holds queue_bytes; rethrows a worker's failure.
  void submit(DataBatch batch);
  // Waits until no batch of `table` is queued or running (before DDL on it).
  void wait_table(const std::string& table);
  // Waits until every batch is done.
  void wait_all();
  // wait_all, then stops the workers; rethrows a worker's failure.
  void finish();

  unsigned long long batches_done() const;

 private:
  void work(unsigned index);
  void stop();
  void rethrow_locked();

  mysql::ConnectionOptions options_;
  std::vector<std::string> prepare_;
  const SessionLog& log_;
  std::string file_;
  size_t queue_bytes_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<DataBatch> queue_;
  size_t queued_bytes_ = 0;
  std::map<std::string, unsigned> outstanding_;  // per table: queued + running
  unsigned long long total_outstanding_ = 0;
  unsigned long long done_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace mysqlpitr::sqlload
