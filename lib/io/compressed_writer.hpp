#pragma once
// Parallel block compression for output files. Text is cut into blocks; each block becomes an
// independent gzip member or zstd frame, compressed on a shared pool of threads, and written to the
// sink in order. Concatenated members/frames are one valid stream for `gzip -d` and `zstd -d`, so
// the output needs no special reader. The caller's thread keeps producing while blocks compress
// (pipelining), and a bounded number of blocks in flight keeps memory independent of the data size.
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "io/input_stream.hpp"

namespace mysqlpitr::io {

// Compresses one block as a complete gzip member (RFC 1952) or zstd frame; `none` copies it.
std::string compress_block(std::string_view data, Compression compression, int level);

// Parses "gzip", "zstd", "none" (throws a usage error naming the value otherwise).
Compression parse_compression(std::string_view name);
// The file name suffix of a compression: ".gz", ".zst", "".
const char* compression_suffix(Compression compression);
// Checks a level for a compression (gzip 1-9, zstd 1-19; none ignores it); throws a usage error.
void check_level(Compression compression, int level);

// A fixed set of threads running compression jobs. Shared by every writer of a run so that the
// number of compressing threads stays what the operator asked for.
class CompressorPool {
 public:
  explicit CompressorPool(unsigned threads);
  ~CompressorPool();
  CompressorPool(const CompressorPool&) = delete;
  CompressorPool& operator=(const CompressorPool&) = delete;

  std::future<std::string> submit(std::string block, Compression compression, int level);
  unsigned threads() const noexcept { return static_cast<unsigned>(threads_.size()); }

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::packaged_task<std::string()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Where compressed bytes go (an AtomicFile, a spool file, a test buffer).
using ByteSink = std::function<void(std::string_view)>;

class CompressedWriter {
 public:
  static constexpr size_t kDefaultBlock = 1 << 20;

  CompressedWriter(ByteSink sink, Compression compression, int level, CompressorPool& pool,
                   size_t block_size = kDefaultBlock);
  CompressedWriter(const CompressedWriter&) = delete;
  CompressedWriter& operator=(const CompressedWriter&) = delete;
  ~CompressedWriter();

  void write(std::string_view text);
  // The current block, for callers that format straight into it; call maybe_flush() after.
  std::string& buffer() noexcept { return block_; }
  void maybe_flush() {
    if (block_.size() >= block_size_) submit_block();
  }
  // Compresses and writes everything still pending. Must be called for the output to be whole.
  void finish();

  unsigned long long bytes_in() const noexcept { return bytes_in_; }
  unsigned long long bytes_out() const noexcept { return bytes_out_; }

 private:
  void submit_block();
  void drain(size_t keep);

  ByteSink sink_;
  Compression compression_;
  int level_;
  CompressorPool& pool_;
  size_t block_size_;
  size_t max_in_flight_;
  std::string block_;
  std::deque<std::future<std::string>> in_flight_;
  unsigned long long bytes_in_ = 0;
  unsigned long long bytes_out_ = 0;
};

}  // namespace mysqlpitr::io
