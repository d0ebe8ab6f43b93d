#pragma once
// Hands the rows of a dump from the one thread that reads it to the connections that insert them.
//
// The reader decompresses and splits the file once; each run of row statements becomes a task
// (a batch of INSERTs sent in one round trip) in one queue the data connections take from. The
// queue holds batches of at most `capacity` bytes (their memory, Batch::memory), so memory does
// not grow with the size of a table, nor with the number of tiny ones:
// the reader waits while the connections are behind.
//
// A table belongs to the connection that took its first queued task, until none of its tasks is
// queued or running: two connections appending to the same table contend for its last index
// page, and the server burns more CPU than it saves. A connection with nothing of its own takes
// the oldest task of a table nobody holds; only when the reader cannot go on (queue full, or
// waiting for rows in flight) or has finished does it share a table another connection holds,
// rather than sit idle. Only the oldest queued task of a table is ever taken.
//
// Every task carries the session position (SessionLog) its rows were read at, and a connection
// replays the log forward to it. Choosing by table can offer a connection a task from before
// settings it has already run (another database's USE, SET NAMES ...): such tasks come last, and
// the connection then starts a fresh session (see `pop`).
//
// What keeps the order a plain `mysql` client would give:
//   - a table's rows are queued only after the reader's connection has created the table (the
//     reader runs definitions itself, in file order, before reading on);
//   - before changing a table that has rows in flight (DROP, ALTER, ...) the reader waits for that
//     table's tasks (`wait_table_idle`), and for every task before a statement it cannot pin to
//     one table (`wait_idle`);
//   - a task marked `after_earlier` (ENABLE KEYS of a MyISAM table) runs only once the earlier
//     tasks of its table are done (`wait_earlier`): tasks of one table may otherwise run side by
//     side on several connections.
// The first failure anywhere (`fail`) wakes every waiter, which then throws it.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "sqlload/batch.hpp"

namespace mysqlpitr::sqlload {

struct DataTask {
  std::string table;          // "database.table", the key the reader waits on
  size_t session = 0;         // session log entries the connection must have run first
  Batch batch;
  bool after_earlier = false;
  unsigned long long sequence = 0;  // set by push
};

class Dispatcher {
 public:
  explicit Dispatcher(size_t capacity) : capacity_(capacity) {}

  // Reader: queues a task, waiting while the queue is full (one task is always let in, however
  // big). Throws the failure once anything failed.
  void push(DataTask task);
  // Reader: no more tasks; connections finish the queue and stop.
  void close();

  // Connection number `connection`, whose session has run the log up to `session`: its next task,
  // or nothing when the queue is closed and empty or anything failed. A task with a `session`
  // below the connection's needs a fresh session: the caller must start one before running it.
  std::optional<DataTask> pop(unsigned connection, size_t session);
  // Connection: the task has run.
  void done(const DataTask& task);
  // Connection: waits until every task of the same table queued before `task` is done.
  void wait_earlier(const DataTask& task);

  // Reader: waits until no task of `table` (all tables when empty) is queued or running; `tick`
  // runs every 200 ms meanwhile (progress). Throws the failure.
  void wait_table_idle(const std::string& table, const std::function<void()>& tick = {});
  void wait_idle(const std::function<void()>& tick = {}) { wait_table_idle({}, tick); }

  // The first failure wins; later ones are dropped.
  void fail(std::exception_ptr error);
  bool failed() const;
  void rethrow_if_failed() const;

  size_t queued_bytes() const;  // memory of the queued batches

 private:
  bool idle_locked(const std::string& table) const;
  // The queued task `connection` should run next, or end() when it must wait.
  std::deque<DataTask>::iterator choose_locked(unsigned connection, size_t session);

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<DataTask> queue_;
  size_t queued_bytes_ = 0;
  bool closed_ = false;
  bool reader_waiting_ = false;  // the reader cannot go on: queue full, or waiting for rows in flight
  unsigned long long next_sequence_ = 0;
  std::map<std::string, std::set<unsigned long long>> outstanding_;  // table -> queued or running tasks
  std::map<std::string, unsigned> holder_;                            // table -> connection loading it
  std::exception_ptr error_;
};

}  // namespace mysqlpitr::sqlload
