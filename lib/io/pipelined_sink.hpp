#pragma once
// Hands bytes to a sink on a thread of its own, so that whoever produces them (reading spools,
// deciphering, encrypting) and the sink (hashing, writing) work at the same time. Memory is
// bounded: at most about `max_queued` bytes wait. An error of the sink is thrown by the next
// write() or by finish(); the bytes given after it are dropped.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "io/compressed_writer.hpp"

namespace mysqlpitr::io {

class PipelinedSink {
 public:
  explicit PipelinedSink(ByteSink sink, size_t max_queued = 8 << 20, size_t batch = 1 << 20);
  // Without finish(): stops the thread, dropping what still waits (an error path).
  ~PipelinedSink();
  PipelinedSink(const PipelinedSink&) = delete;
  PipelinedSink& operator=(const PipelinedSink&) = delete;

  void write(std::string_view data);
  // Returns once the sink has taken every byte; throws its error.
  void finish();

 private:
  void hand_over();
  void run();
  void rethrow_locked();

  ByteSink sink_;
  size_t max_queued_;
  size_t batch_;
  std::string pending_;  // the producer's batch, handed over whole
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  size_t queued_ = 0;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace mysqlpitr::io
