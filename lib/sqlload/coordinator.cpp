#include "sqlload/coordinator.hpp"

#include <algorithm>
#include <chrono>

namespace mysqlpitr::sqlload {

void Coordinator::main_passed(unsigned long long position) {
  {
    std::lock_guard lock(mutex_);
    main_position_ = position;
  }
  changed_.notify_all();
}

void Coordinator::wait_streams_past(unsigned long long index, const std::function<void()>& tick) {
  std::unique_lock lock(mutex_);
  auto done = [&] {
    return error_ || std::all_of(positions_.begin(), positions_.end(), [&](auto p) { return p > index; });
  };
  while (!changed_.wait_for(lock, std::chrono::milliseconds(200), done)) {
    if (!tick) continue;
    lock.unlock();
    tick();
    lock.lock();
  }
  rethrow_locked();
}

void Coordinator::wait_main(unsigned long long index) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || main_position_ >= index; });
  rethrow_locked();
}

void Coordinator::stream_at(unsigned stream, unsigned long long position, unsigned long long sql_bytes,
                            unsigned long long file_bytes) {
  {
    std::lock_guard lock(mutex_);
    positions_.at(stream) = position;
    sql_bytes_.at(stream) = sql_bytes;
    file_bytes_.at(stream) = file_bytes;
  }
  changed_.notify_all();
}

bool Coordinator::claim(const std::string& key, unsigned stream) {
  std::lock_guard lock(mutex_);
  return owners_.try_emplace(key, stream).first->second == stream;
}

void Coordinator::fail(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
  }
  changed_.notify_all();
}

bool Coordinator::failed() const {
  std::lock_guard lock(mutex_);
  return error_ != nullptr;
}

void Coordinator::rethrow_if_failed() const {
  std::lock_guard lock(mutex_);
  rethrow_locked();
}

void Coordinator::rethrow_locked() const {
  if (error_) std::rethrow_exception(error_);
}

unsigned long long Coordinator::sql_bytes() const {
  std::lock_guard lock(mutex_);
  return sql_bytes_.empty() ? 0 : *std::min_element(sql_bytes_.begin(), sql_bytes_.end());
}

unsigned long long Coordinator::file_bytes() const {
  std::lock_guard lock(mutex_);
  return file_bytes_.empty() ? 0 : *std::min_element(file_bytes_.begin(), file_bytes_.end());
}

}  // namespace mysqlpitr::sqlload
