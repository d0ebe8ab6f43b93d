#pragma once
// Runs fn(i) for i in [0, count) on `jobs` threads; each worker gets its own state from
// make_worker(). The first exception stops the handing out of new items and is rethrown.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace mysqlpitr::io {

template <typename MakeWorker, typename Fn>
void run_parallel(std::size_t count, int jobs, MakeWorker&& make_worker, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto body = [&] {
    try {
      auto worker = make_worker();
      for (std::size_t i = next++; i < count && !failed; i = next++) fn(*worker, i);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      failed = true;
    }
  };
  std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), 1,
                                                std::max<std::size_t>(count, 1));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(body);
  body();
  for (auto& thread : pool) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace mysqlpitr::io
