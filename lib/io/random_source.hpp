#pragma once
// Bytes read by offset from a file or an object of known size: what the binlog readers use, which
// read forward in windows and start over at a stored position. A local file answers with pread;
// an object in a bucket with ranged reads (storage::open_random).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mysqlpitr::io {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // The size when the source was opened.
  virtual unsigned long long size() const = 0;
  // Up to `size` bytes from `offset`; fewer only at the end of the data (0 at or past it).
  // Throws an Error naming the file or object on a read error.
  virtual size_t read_at(unsigned long long offset, char* buffer, size_t size) = 0;
};

// A local file; a missing or unreadable file is an error naming it ("cannot open <what> <path>").
std::unique_ptr<RandomSource> open_random_file(const std::string& path, std::string_view what = "file");

}  // namespace mysqlpitr::io
