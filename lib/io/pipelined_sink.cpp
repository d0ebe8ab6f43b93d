#include "io/pipelined_sink.hpp"

namespace mysqlpitr::io {

PipelinedSink::PipelinedSink(ByteSink sink, size_t max_queued, size_t batch)
    : sink_(std::move(sink)), max_queued_(max_queued), batch_(batch), thread_([this] { run(); }) {}

PipelinedSink::~PipelinedSink() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
    queued_ = 0;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PipelinedSink::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void PipelinedSink::write(std::string_view data) {
  pending_.append(data);
  if (pending_.size() >= batch_) hand_over();
}

void PipelinedSink::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || queued_ < max_queued_; });
  rethrow_locked();
  queued_ += pending_.size();
  queue_.push_back(std::move(pending_));
  pending_ = std::string();
  pending_.reserve(batch_);
  lock.unlock();
  changed_.notify_all();
}

void PipelinedSink::finish() {
  if (!pending_.empty()) hand_over();
  {
    std::unique_lock lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  rethrow_locked();
}

void PipelinedSink::run() {
  for (;;) {
    std::string block;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, everything handed over
      block = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      sink_(block);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      queue_.clear();
      queued_ = 0;
      changed_.notify_all();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      queued_ -= block.size();
    }
    changed_.notify_all();
  }
}

}  // namespace mysqlpitr::io
