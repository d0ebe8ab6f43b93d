#include "sqlload/dispatcher.hpp"

#include <chrono>
#include <set>
#include <string_view>

namespace mysqlpitr::sqlload {

void Dispatcher::push(DataTask task) {
  std::unique_lock lock(mutex_);
  size_t bytes = task.batch.memory();
  auto room = [&] { return error_ || queue_.empty() || queued_bytes_ + bytes <= capacity_; };
  if (!room()) {
    reader_waiting_ = true;
    changed_.notify_all();  // idle connections may now share a held table
    changed_.wait(lock, room);
    reader_waiting_ = false;
  }
  if (error_) std::rethrow_exception(error_);
  task.sequence = next_sequence_++;
  outstanding_[task.table].insert(task.sequence);
  queued_bytes_ += bytes;
  queue_.push_back(std::move(task));
  lock.unlock();
  changed_.notify_all();
}

void Dispatcher::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

std::deque<DataTask>::iterator Dispatcher::choose_locked(unsigned connection, size_t session) {
  const bool may_share = reader_waiting_ || closed_;
  auto best = queue_.end();
  int best_rank = 0;
  std::set<std::string_view> seen;  // tables with an older task queued
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (!seen.insert(it->table).second) continue;
    auto holder = holder_.find(it->table);
    bool own = holder != holder_.end() && holder->second == connection;
    bool unheld = holder == holder_.end();
    if (!own && !unheld && !may_share) continue;
    // Lower is better: own table, then nobody's, then shared; each first without a fresh session.
    int rank = (own ? 0 : unheld ? 1 : 2) + (it->session < session ? 3 : 0);
    if (best == queue_.end() || rank < best_rank) {
      best = it;
      best_rank = rank;
      if (rank == 0) break;
    }
  }
  return best;
}

std::optional<DataTask> Dispatcher::pop(unsigned connection, size_t session) {
  std::unique_lock lock(mutex_);
  auto chosen = queue_.end();
  changed_.wait(lock, [&] {
    if (error_) return true;
    chosen = choose_locked(connection, session);
    return chosen != queue_.end() || (closed_ && queue_.empty());
  });
  if (error_ || chosen == queue_.end()) return std::nullopt;
  DataTask task = std::move(*chosen);
  queue_.erase(chosen);
  queued_bytes_ -= task.batch.memory();
  holder_.try_emplace(task.table, connection);
  lock.unlock();
  changed_.notify_all();  // room for the reader
  return task;
}

void Dispatcher::done(const DataTask& task) {
  {
    std::lock_guard lock(mutex_);
    auto found = outstanding_.find(task.table);
    if (found != outstanding_.end()) {
      found->second.erase(task.sequence);
      if (found->second.empty()) {
        outstanding_.erase(found);
        holder_.erase(task.table);
      }
    }
  }
  changed_.notify_all();
}

void Dispatcher::wait_earlier(const DataTask& task) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    if (error_) return true;
    auto found = outstanding_.find(task.table);
    return found == outstanding_.end() || *found->second.begin() >= task.sequence;
  });
  if (error_) std::rethrow_exception(error_);
}

bool Dispatcher::idle_locked(const std::string& table) const {
  return table.empty() ? outstanding_.empty() : outstanding_.count(table) == 0;
}

void Dispatcher::wait_table_idle(const std::string& table, const std::function<void()>& tick) {
  std::unique_lock lock(mutex_);
  auto ready = [&] { return error_ || idle_locked(table); };
  if (!ready()) {
    reader_waiting_ = true;  // no other table comes meanwhile: idle connections may share
    changed_.notify_all();
    while (!changed_.wait_for(lock, std::chrono::milliseconds(200), ready)) {
      if (!tick) continue;
      lock.unlock();
      tick();
      lock.lock();
    }
    reader_waiting_ = false;
  }
  if (error_) std::rethrow_exception(error_);
}

void Dispatcher::fail(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
  }
  changed_.notify_all();
}

bool Dispatcher::failed() const {
  std::lock_guard lock(mutex_);
  return error_ != nullptr;
}

void Dispatcher::rethrow_if_failed() const {
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

size_t Dispatcher::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

}  // namespace mysqlpitr::sqlload
