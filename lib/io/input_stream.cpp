#include "io/input_stream.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/fd.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::io {
namespace {

constexpr size_t kChunk = 1 << 18;

// A local file as a byte source.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (!fd_.valid()) throw failure("cannot open {}: {}", path, errno_text(errno));
  }
  size_t read(char* buffer, size_t size) override {
    for (;;) {
      ssize_t got = ::read(fd_.get(), buffer, size);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw failure("cannot read {}: {}", path_, errno_text(errno));
      return static_cast<size_t>(got);
    }
  }

 private:
  std::string path_;
  UniqueFd fd_;
};

// Raw bytes of the source, with a one-chunk buffer the decompressors consume from; fed to `digest`
// as they are read, so that a file is hashed in the same pass that decompresses it.
class RawFile {
 public:
  RawFile(std::unique_ptr<ByteSource> source, Sha256* digest)
      : source_(std::move(source)), digest_(digest), buffer_(kChunk) {}
  // Refills the buffer when empty; returns false at end of file.
  bool fill() {
    if (begin_ < end_) return true;
    begin_ = end_ = 0;
    return top_up(1);
  }
  // Reads until at least `wanted` bytes are buffered or the source ends (a network source may
  // deliver the magic bytes in pieces); returns whether they are.
  bool top_up(size_t wanted) {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    while (end_ < wanted) {
      size_t got = source_->read(buffer_.data() + end_, buffer_.size() - end_);
      if (got == 0) return false;
      if (digest_) digest_->update(std::string_view(buffer_.data() + end_, got));
      end_ += got;
      total_ += got;
    }
    return true;
  }
  const char* data() const { return buffer_.data() + begin_; }
  size_t available() const { return end_ - begin_; }
  void consume(size_t count) { begin_ += count; }
  unsigned long long total() const { return total_; }

 private:
  std::unique_ptr<ByteSource> source_;
  Sha256* digest_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  unsigned long long total_ = 0;
};

Compression compression_of(const unsigned char* magic, size_t size) {
  if (size >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return Compression::gzip;
  if (size >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
    return Compression::zstd;
  return Compression::none;
}

class PlainInput final : public InputStream {
 public:
  PlainInput(std::string path, RawFile raw) : InputStream(std::move(path)), raw_(std::move(raw)) {}
  size_t read(char* out, size_t size) override {
    if (!raw_.fill()) return 0;
    size_t count = std::min(size, raw_.available());
    std::memcpy(out, raw_.data(), count);
    raw_.consume(count);
    return count;
  }
  unsigned long long compressed_bytes_read() const override { return raw_.total(); }
  Compression compression() const override { return Compression::none; }

 private:
  RawFile raw_;
};

// ISA-L's inflate: about four times zlib's speed here, and restore-historical inflates the whole
// dump twice (verification, then load). Each member's header is parsed here with a header record
// that lives as long as the member (isal_inflate's own parsing loses its place when a header is
// split across two reads); the inflate then checks the trailer's CRC-32 and length, as `gzip -d`.
class GzipInput final : public InputStream {
 public:
  GzipInput(std::string path, RawFile raw)
      : InputStream(std::move(path)), raw_(std::move(raw)), state_(std::make_unique<inflate_state>()) {
    start_member();
  }

  size_t read(char* out, size_t size) override {
    if (size == 0) return 0;
    state_->next_out = reinterpret_cast<uint8_t*>(out);
    state_->avail_out = static_cast<uint32_t>(std::min<size_t>(size, UINT32_MAX));
    const uint32_t wanted = state_->avail_out;
    while (state_->avail_out == wanted) {
      bool have_input = raw_.fill();
      if (!in_header_ && state_->block_state == ISAL_BLOCK_FINISH) {
        // Another member may follow: `gzip -d` and pigz output are concatenations.
        if (!have_input) return 0;
        start_member();
      }
      // The decoder may still hold output when the file is exhausted, so it runs even without input.
      state_->next_in = have_input ? reinterpret_cast<uint8_t*>(const_cast<char*>(raw_.data())) : nullptr;
      state_->avail_in = have_input ? static_cast<uint32_t>(raw_.available()) : 0;
      int status;
      if (in_header_) {
        status = isal_read_gzip_header(state_.get(), &header_);
        if (status == ISAL_DECOMP_OK) in_header_ = false;
        else if (status != ISAL_END_INPUT && status >= 0) status = ISAL_INVALID_WRAPPER;  // no buffers: no overflow
      } else {
        status = isal_inflate(state_.get());
      }
      if (have_input) raw_.consume(raw_.available() - state_->avail_in);
      if (status < 0 || status == ISAL_NEED_DICT)
        throw failure("{}: gzip data is corrupt near compressed byte {}: {}", path_,
                      raw_.total() - raw_.available(), describe(status));
      if (!have_input && state_->avail_out == wanted && (in_header_ || state_->block_state != ISAL_BLOCK_FINISH))
        throw failure("{}: gzip stream is truncated (ends inside a member)", path_);
    }
    return wanted - state_->avail_out;
  }
  unsigned long long compressed_bytes_read() const override { return raw_.total(); }
  Compression compression() const override { return Compression::gzip; }

 private:
  // isal_inflate_init clears the output pointers too: a member starting mid-read keeps them.
  void start_member() {
    uint8_t* next_out = state_->next_out;
    uint32_t avail_out = state_->avail_out;
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP_NO_HDR_VER;  // header parsed here; trailer checked by the inflate
    state_->next_out = next_out;
    state_->avail_out = avail_out;
    header_ = isal_gzip_header{};  // isal_gzip_header_init leaves the parsing state (flags) unset
    isal_gzip_header_init(&header_);
    in_header_ = true;
  }
  static const char* describe(int status) {
    switch (status) {
      case ISAL_INVALID_BLOCK: return "invalid deflate block";
      case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
      case ISAL_INVALID_WRAPPER: return "not a gzip member header";
      case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate";
      case ISAL_INCORRECT_CHECKSUM: return "CRC-32 or length check failed";
      case ISAL_NEED_DICT: return "preset dictionary required";
      default: return "inflate error";
    }
  }

  RawFile raw_;
  std::unique_ptr<inflate_state> state_;  // large (tens of KiB): kept off the stack
  isal_gzip_header header_{};             // name, comment and extra are not kept (null buffers)
  bool in_header_ = true;
};

class ZstdInput final : public InputStream {
 public:
  ZstdInput(std::string path, RawFile raw)
      : InputStream(std::move(path)), raw_(std::move(raw)), stream_(ZSTD_createDStream()) {
    if (!stream_) throw failure("{}: cannot start zstd decoder", path_);
  }
  ~ZstdInput() override { ZSTD_freeDStream(stream_); }

  size_t read(char* out, size_t size) override {
    ZSTD_outBuffer output{out, size, 0};
    while (output.pos == 0) {
      bool have_input = raw_.fill();
      if (!have_input && pending_ == 0) return 0;
      ZSTD_inBuffer input{have_input ? raw_.data() : nullptr, have_input ? raw_.available() : 0, 0};
      pending_ = ZSTD_decompressStream(stream_, &output, &input);
      if (ZSTD_isError(pending_))
        throw failure("{}: zstd data is corrupt: {}", path_, ZSTD_getErrorName(pending_));
      if (have_input) raw_.consume(input.pos);
      if (!have_input && output.pos == 0)
        throw failure("{}: zstd stream is truncated (ends inside a frame)", path_);
    }
    return output.pos;
  }
  unsigned long long compressed_bytes_read() const override { return raw_.total(); }
  Compression compression() const override { return Compression::zstd; }

 private:
  RawFile raw_;
  ZSTD_DStream* stream_;
  size_t pending_ = 0;
};

}  // namespace

const char* compression_name(Compression compression) {
  switch (compression) {
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
    case Compression::none: return "none";
  }
  return "none";
}

Compression detect_compression(const std::string& path) {
  FileSource file(path);
  unsigned char magic[4] = {};
  size_t got = 0;
  while (got < sizeof magic) {
    size_t more = file.read(reinterpret_cast<char*>(magic) + got, sizeof magic - got);
    if (more == 0) break;
    got += more;
  }
  return compression_of(magic, got);
}

std::unique_ptr<ByteSource> open_file_source(const std::string& path) { return std::make_unique<FileSource>(path); }

std::unique_ptr<InputStream> open_input(const std::string& path, Sha256* raw_digest) {
  return open_input(std::make_unique<FileSource>(path), path, raw_digest);
}

std::unique_ptr<InputStream> open_input(std::unique_ptr<ByteSource> source, std::string name, Sha256* raw_digest) {
  RawFile raw(std::move(source), raw_digest);
  raw.top_up(4);
  switch (compression_of(reinterpret_cast<const unsigned char*>(raw.data()), raw.available())) {
    case Compression::gzip: return std::make_unique<GzipInput>(std::move(name), std::move(raw));
    case Compression::zstd: return std::make_unique<ZstdInput>(std::move(name), std::move(raw));
    case Compression::none: break;
  }
  return std::make_unique<PlainInput>(std::move(name), std::move(raw));
}

unsigned long long read_to_end(InputStream& stream, std::string* tail, size_t tail_size) {
  std::vector<char> buffer(kChunk);
  unsigned long long total = 0;
  for (;;) {
    size_t got = stream.read(buffer.data(), buffer.size());
    if (got == 0) break;
    total += got;
    if (tail) {
      tail->append(buffer.data(), got);
      if (tail->size() > tail_size) tail->erase(0, tail->size() - tail_size);
    }
  }
  return total;
}

}  // namespace mysqlpitr::io
