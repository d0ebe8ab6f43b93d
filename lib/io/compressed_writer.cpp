#include "io/compressed_writer.hpp"

#include <libdeflate.h>
#include <zstd.h>

#include <memory>

#include "core/error.hpp"

namespace mysqlpitr::io {
namespace {

struct CompressorFree {
  void operator()(libdeflate_compressor* compressor) const noexcept { libdeflate_free_compressor(compressor); }
};

// libdeflate rather than zlib: for the same level it compresses SQL text about three times faster
// and slightly smaller, and a block is always whole in memory, which is what its API wants. The
// member it writes is plain RFC 1952, so gzip, zlib and every legacy tool read it.
std::string gzip_member(std::string_view data, int level) {
  std::unique_ptr<libdeflate_compressor, CompressorFree> compressor(libdeflate_alloc_compressor(level));
  if (!compressor) throw failure("cannot initialise gzip compression (level {})", level);
  std::string out(libdeflate_gzip_compress_bound(compressor.get(), data.size()), '\0');
  size_t produced = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
  if (produced == 0) throw failure("gzip compression failed (block of {} bytes)", data.size());
  out.resize(produced);
  return out;
}

std::string zstd_frame(std::string_view data, int level) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  if (ZSTD_isError(size)) throw failure("zstd compression failed: {}", ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

}  // namespace

std::string compress_block(std::string_view data, Compression compression, int level) {
  switch (compression) {
    case Compression::gzip: return gzip_member(data, level);
    case Compression::zstd: return zstd_frame(data, level);
    case Compression::none: break;
  }
  return std::string(data);
}

Compression parse_compression(std::string_view name) {
  if (name == "gzip") return Compression::gzip;
  if (name == "zstd") return Compression::zstd;
  if (name == "none") return Compression::none;
  throw usage_error("unknown compression '{}' (use gzip, zstd or none)", name);
}

const char* compression_suffix(Compression compression) {
  switch (compression) {
    case Compression::gzip: return ".gz";
    case Compression::zstd: return ".zst";
    case Compression::none: break;
  }
  return "";
}

void check_level(Compression compression, int level) {
  if (compression == Compression::gzip && (level < 1 || level > 9))
    throw usage_error("gzip level {} is out of range (1-9)", level);
  if (compression == Compression::zstd && (level < 1 || level > 19))
    throw usage_error("zstd level {} is out of range (1-19)", level);
}

CompressorPool::CompressorPool(unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

CompressorPool::~CompressorPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

std::future<std::string> CompressorPool::submit(std::string block, Compression compression, int level) {
  std::packaged_task<std::string()> task(
      [block = std::move(block), compression, level] { return compress_block(block, compression, level); });
  auto future = task.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return future;
}

void CompressorPool::work() {
  for (;;) {
    std::packaged_task<std::string()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();  // an exception is stored in the future and rethrown to the writer
  }
}

CompressedWriter::CompressedWriter(ByteSink sink, Compression compression, int level, CompressorPool& pool,
                                   size_t block_size)
    : sink_(std::move(sink)),
      compression_(compression),
      level_(level),
      pool_(pool),
      block_size_(block_size),
      // Enough blocks in flight to keep every pool thread busy, few enough to bound memory.
      max_in_flight_(pool.threads() * 2 + 1) {
  block_.reserve(block_size_ + block_size_ / 4);
}

CompressedWriter::~CompressedWriter() {
  // Abandoned (an error elsewhere): wait for our blocks so no task outlives the data it refers to.
  for (auto& future : in_flight_) future.wait();
}

void CompressedWriter::write(std::string_view text) {
  block_.append(text);
  maybe_flush();
}

void CompressedWriter::submit_block() {
  if (block_.empty()) return;
  bytes_in_ += block_.size();
  if (compression_ == Compression::none) {
    drain(0);
    sink_(block_);
    bytes_out_ += block_.size();
    block_.clear();
    return;
  }
  std::string full;
  full.reserve(block_size_ + block_size_ / 4);
  full.swap(block_);
  in_flight_.push_back(pool_.submit(std::move(full), compression_, level_));
  drain(max_in_flight_);
}

void CompressedWriter::drain(size_t keep) {
  while (in_flight_.size() > keep) {
    std::string compressed = in_flight_.front().get();
    in_flight_.pop_front();
    sink_(compressed);
    bytes_out_ += compressed.size();
  }
}

void CompressedWriter::finish() {
  submit_block();
  drain(0);
}

}  // namespace mysqlpitr::io
