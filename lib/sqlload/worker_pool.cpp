#include "sqlload/worker_pool.hpp"

#include <optional>

#include "core/error.hpp"

namespace mysqlpitr::sqlload {

void SessionLog::append(const Statement& statement) {
  std::lock_guard lock(mutex_);
  statements_.push_back(statement);
}

size_t SessionLog::size() const {
  std::lock_guard lock(mutex_);
  return statements_.size();
}

std::vector<Statement> SessionLog::range(size_t from, size_t to) const {
  std::lock_guard lock(mutex_);
  return std::vector<Statement>(statements_.begin() + static_cast<long>(from),
                                statements_.begin() + static_cast<long>(to));
}

void replay_session(mysql::Connection& connection, const SessionLog& log, size_t& applied, size_t target,
                    const std::string& file) {
  if (target <= applied) return;
  for (const Statement& statement : log.range(applied, target)) run_statement(connection, statement, file);
  applied = target;
}

WorkerPool::WorkerPool(unsigned jobs, const mysql::ConnectionOptions& options, const std::vector<std::string>& prepare,
                       const SessionLog& log, std::string file, size_t queue_bytes)
    : options_(options), prepare_(prepare), log_(log), file_(std::move(file)), queue_bytes_(queue_bytes) {
  options_.multi_statements = true;
  for (unsigned i = 0; i < std::max(1u, jobs); ++i) threads_.emplace_back([this, i] { work(i); });
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

void WorkerPool::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void WorkerPool::submit(DataBatch batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || queued_bytes_ == 0 || queued_bytes_ + batch.batch.bytes() <= queue_bytes_; });
  rethrow_locked();
  queued_bytes_ += batch.batch.bytes();
  ++outstanding_[batch.table];
  ++total_outstanding_;
  queue_.push_back(std::move(batch));
  changed_.notify_all();
}

void WorkerPool::wait_table(const std::string& table) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    auto found = outstanding_.find(table);
    return error_ || found == outstanding_.end() || found->second == 0;
  });
  rethrow_locked();
}

void WorkerPool::wait_all() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || total_outstanding_ == 0; });
  rethrow_locked();
}

void WorkerPool::finish() {
  wait_all();
  stop();
  std::lock_guard lock(mutex_);
  rethrow_locked();
}

unsigned long long WorkerPool::batches_done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

void WorkerPool::work(unsigned) {
  try {
    std::optional<mysql::Connection> connection;
    size_t applied = 0;
    for (;;) {
      DataBatch batch;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || error_ || !queue_.empty(); });
        if (stopping_ || error_) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= batch.batch.bytes();
      }
      changed_.notify_all();
      if (!connection) {
        connection.emplace(mysql::Connection::open(options_));
        for (const auto& sql : prepare_) connection->execute(sql);
      }
      replay_session(*connection, log_, applied, batch.session, file_);
      batch.batch.run(*connection, file_);
      {
        std::lock_guard lock(mutex_);
        --outstanding_[batch.table];
        --total_outstanding_;
        ++done_;
      }
      changed_.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    changed_.notify_all();
  }
}

}  // namespace mysqlpitr::sqlload
