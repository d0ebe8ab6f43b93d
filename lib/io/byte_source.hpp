#pragma once
// Raw bytes read in order from somewhere (a local file, an object in a bucket): what the readers of
// compressed data consume, so that magic detection, decompression and the raw SHA-256 work the same
// on a file and on an object.
#include <cstddef>

namespace mysqlpitr::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `size` bytes; returns 0 only at the end of the data. Throws on a read error.
  virtual size_t read(char* buffer, size_t size) = 0;
};

}  // namespace mysqlpitr::io
