#pragma once
// A dump file read as classified statements: decompression (gzip, zstd or plain, found by magic
// bytes), splitting with the client's rules, the sql_mode's effect on backslashes followed from
// the dump's own SET statements, and the database renamed for `--into` when asked.
#include <functional>
#include <memory>
#include <string>

#include "crypto/key.hpp"
#include "io/input_stream.hpp"
#include "sqlload/classify.hpp"
#include "sqlload/rename.hpp"
#include "sqlload/splitter.hpp"

namespace mysqlpitr::sqlload {

// Where a dump's bytes come from: a file, or any stream (an object in a bucket, read as it
// arrives, never downloaded whole first). Opened once per pass (inspection, then load).
struct DumpSource {
  std::string name;  // a path or an s3:// URL: what messages show
  // The bytes as a (possibly compressed) stream; `raw_digest` as io::open_input takes it.
  std::function<std::unique_ptr<io::InputStream>(io::Sha256* raw_digest)> open;
};

struct DumpStatement {
  Statement statement;
  Classification what;  // with the renamed database when renaming
};

class DumpReader {
 public:
  // `raw_digest` (see io::open_input) hashes the file's bytes as they are read; it must outlive the reader.
  explicit DumpReader(const DumpSource& source, Rename rename = {}, io::Sha256* raw_digest = nullptr);

  // The next statement, or false at the end. Errors (truncated compression stream, input ending
  // inside a string) name the file.
  bool next(DumpStatement& out);

  const std::string& path() const noexcept { return path_; }
  io::Compression compression() const { return input_->compression(); }
  unsigned long long file_bytes_read() const { return input_->compressed_bytes_read(); }
  unsigned long long sql_bytes_read() const noexcept { return sql_bytes_; }
  // The first and the last (up to) 4 KiB of the decompressed SQL read so far.
  const std::string& head() const noexcept { return head_; }
  std::string tail() const;

 private:
  size_t read(char* buffer, size_t size);

  std::string path_;
  Rename rename_;
  std::unique_ptr<io::InputStream> input_;
  Splitter splitter_;
  unsigned long long sql_bytes_ = 0;
  std::string head_;
  std::string tail_ring_;  // the last bytes read, tail_ring_ holds up to 2 * kTail
};

}  // namespace mysqlpitr::sqlload
