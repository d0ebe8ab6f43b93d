#include "io/read_ahead.hpp"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mysqlpitr::io {
namespace {

struct Chunk {
  std::vector<char> data;
  unsigned long long compressed_bytes = 0;  // of the source once this chunk was read
};

class ReadAheadStream final : public InputStream {
 public:
  ReadAheadStream(std::unique_ptr<InputStream> source, size_t chunk_bytes, size_t depth)
      : InputStream(source->path()),
        compression_(source->compression()),
        source_(std::move(source)),
        chunk_bytes_(chunk_bytes),
        depth_(depth) {
    worker_ = std::jthread([this] { fill(); });
  }

  ~ReadAheadStream() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    // worker_ (a jthread) joins here, before the source it reads from is destroyed.
    worker_.join();
  }

  size_t read(char* out, size_t size) override {
    if (size == 0) return 0;
    size_t copied = 0;
    while (copied == 0) {
      if (current_offset_ == current_.data.size()) {
        if (!next_chunk()) return 0;
        continue;
      }
      size_t count = std::min(size, current_.data.size() - current_offset_);
      std::memcpy(out, current_.data.data() + current_offset_, count);
      current_offset_ += count;
      copied = count;
    }
    return copied;
  }
  unsigned long long compressed_bytes_read() const override { return current_.compressed_bytes; }
  Compression compression() const override { return compression_; }

 private:
  // Takes the next chunk; false at the true end. Rethrows the source's error in its place.
  bool next_chunk() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
    if (ready_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return false;
    }
    if (current_.data.capacity() > 0) spare_.push_back(std::move(current_.data));  // for the worker to refill
    current_ = std::move(ready_.front());
    ready_.pop_front();
    current_offset_ = 0;
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  void fill() {
    for (;;) {
      Chunk chunk;
      size_t filled = 0;
      std::exception_ptr error;
      try {
        {
          // The same few buffers go round: a fresh 1 MiB per chunk leaves the heap fragmented.
          std::lock_guard lock(mutex_);
          if (!spare_.empty()) {
            chunk.data = std::move(spare_.back());
            spare_.pop_back();
          }
        }
        chunk.data.resize(chunk_bytes_);
        while (filled < chunk.data.size()) {
          size_t got = source_->read(chunk.data.data() + filled, chunk.data.size() - filled);
          if (got == 0) break;
          filled += got;
        }
      } catch (...) {
        error = std::current_exception();  // thrown once the bytes before it are delivered
      }
      chunk.data.resize(filled);
      chunk.compressed_bytes = source_->compressed_bytes_read();
      bool last = error || filled < chunk_bytes_;
      std::unique_lock lock(mutex_);
      if (filled > 0) {
        changed_.wait(lock, [&] { return stopping_ || ready_.size() < depth_; });
        if (stopping_) return;
        ready_.push_back(std::move(chunk));
      }
      if (last) {
        error_ = error;
        finished_ = true;
      }
      lock.unlock();
      changed_.notify_all();
      if (last) return;
    }
  }

  const Compression compression_;
  std::unique_ptr<InputStream> source_;
  const size_t chunk_bytes_;
  const size_t depth_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> ready_;
  std::vector<std::vector<char>> spare_;  // emptied chunks handed back by the reader
  bool finished_ = false;  // the worker has stopped: end of data or error_
  bool stopping_ = false;  // the reader is gone
  std::exception_ptr error_;

  Chunk current_;  // reader's side only
  size_t current_offset_ = 0;

  std::jthread worker_;  // last: started once everything it uses exists
};

}  // namespace

std::unique_ptr<InputStream> read_ahead(std::unique_ptr<InputStream> source, size_t chunk_bytes, size_t depth) {
  return std::make_unique<ReadAheadStream>(std::move(source), chunk_bytes, std::max<size_t>(depth, 1));
}

}  // namespace mysqlpitr::io
