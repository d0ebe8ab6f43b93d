#include "sqlload/dispatcher.hpp"

#include <chrono>

namespace mysqlpitr::sqlload {

void Dispatcher::push(DataTask task) {
  std::unique_lock lock(mutex_);
  size_t bytes = task.batch.bytes();
  changed_.wait(lock, [&] { return error_ || queue_.empty() || queued_bytes_ + bytes <= capacity_; });
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

std::optional<DataTask> Dispatcher::pop() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || closed_ || !queue_.empty(); });
  if (error_ || queue_.empty()) return std::nullopt;
  DataTask task = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= task.batch.bytes();
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
      if (found->second.empty()) outstanding_.erase(found);
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
  while (!changed_.wait_for(lock, std::chrono::milliseconds(200), ready)) {
    if (!tick) continue;
    lock.unlock();
    tick();
    lock.lock();
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
