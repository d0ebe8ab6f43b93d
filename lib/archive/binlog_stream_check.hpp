#pragma once
// The check `verify` makes of an archived binlog kept as an object of a bucket, in one streamed
// pass (never downloaded to a file first): every event read to the end by the binlog reader (CRC32
// checked when the file carries checksums), the bytes' size and SHA-256 compared with the object's
// record, and the header facts the sequence check needs (binlog::find_gaps) gathered on the way.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "archive/binlog_check.hpp"
#include "io/byte_source.hpp"

namespace mysqlpitr::archive {

struct RecordedCopy {
  std::uint64_t size = 0;
  std::string sha256;
};

// `name` is how messages name the object (its s3:// URL); `size` its stored size. Never throws
// for a damaged object: the check says what is wrong.
// `keys` reads an object encrypted by mysqlpitr (every chunk authenticated); without them its check
// fails naming the key it needs.
BinlogCheck check_binlog_stream(const std::string& name, std::unique_ptr<io::ByteSource> source, std::uint64_t size,
                                const std::optional<RecordedCopy>& record, crypto::KeyRing* keys = nullptr);

}  // namespace mysqlpitr::archive
