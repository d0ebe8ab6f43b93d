#pragma once
// Raw bytes read in order from somewhere (a local file, an object in a bucket): what the readers of
// compressed data consume, so that magic detection, decompression and the raw SHA-256 work the same
// on a file and on an object.
#include <cstddef>
#include <memory>
#include <string>

namespace mysqlpitr::io {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `size` bytes; returns 0 only at the end of the data. Throws on a read error.
  virtual size_t read(char* buffer, size_t size) = 0;
};

// Reads until `size` bytes are in or the source ends (a network source delivers in pieces);
// returns the count read.
inline size_t read_up_to(ByteSource& source, char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    size_t got = source.read(buffer + done, size - done);
    if (got == 0) break;
    done += got;
  }
  return done;
}

// A local file's bytes; a file that cannot be opened is an error naming it.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

}  // namespace mysqlpitr::io
