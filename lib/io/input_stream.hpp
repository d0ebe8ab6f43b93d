#pragma once
// Sequential reading of a possibly compressed file. The format is recognised by its magic bytes,
// not its name: gzip (any number of concatenated members, as `gzip -d` reads them), zstd (any
// number of frames) or plain. A stream that ends inside a member/frame is an error naming the file.
#include <memory>
#include <string>

#include "io/byte_source.hpp"

namespace mysqlpitr::io {

enum class Compression { none, gzip, zstd };
const char* compression_name(Compression compression);

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Fills up to `size` bytes; returns 0 only at the true end of the data.
  virtual size_t read(char* buffer, size_t size) = 0;
  // Bytes consumed from the underlying file so far (for progress against the file size).
  virtual unsigned long long compressed_bytes_read() const = 0;
  virtual Compression compression() const = 0;
  const std::string& path() const noexcept { return path_; }

 protected:
  explicit InputStream(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

class Sha256;

// `raw_digest`, when given, receives every byte read from the file as it is (before decompression):
// read to the end, the stream has hashed the whole file, with no second pass over it.
std::unique_ptr<InputStream> open_input(const std::string& path, Sha256* raw_digest = nullptr);
// The same over any byte source (an object in a bucket); `name` is what messages and path() show.
std::unique_ptr<InputStream> open_input(std::unique_ptr<ByteSource> source, std::string name,
                                        Sha256* raw_digest = nullptr);

// Detects the compression of a file from its first bytes.
Compression detect_compression(const std::string& path);

// Reads a stream to its end (checking its integrity) and returns the decompressed byte count.
// `tail` receives up to `tail_size` last decompressed bytes (for completion markers).
unsigned long long read_to_end(InputStream& stream, std::string* tail = nullptr, size_t tail_size = 0);

}  // namespace mysqlpitr::io
