#pragma once
// The check `verify` makes of an archived binlog (an object of a bucket, or a file of the local
// archive read through the storage layer's posix driver), in one streamed pass (never downloaded
// to a file first): every event read to the end by the binlog reader (CRC32 checked when the file
// carries checksums), the bytes' size and SHA-256 compared with the copy's record, and the header
// facts the sequence check needs (binlog::find_gaps) gathered on the way.
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

// Whether a copy without a record fails: every object of a bucket has one (an object without it is
// an upload that never finished); the local archive also holds old scripts' copies, checked by
// their events alone.
enum class WithoutRecord { fails, checked_by_events };

// `name` is how messages name the object (its s3:// URL, or the file's path); `size` its stored
// size. Never throws for a damaged object: the check says what is wrong.
// `keys` reads an object encrypted by mysqlpitr (every chunk authenticated); without them its check
// fails naming the key it needs.
BinlogCheck check_binlog_stream(const std::string& name, std::unique_ptr<io::ByteSource> source, std::uint64_t size,
                                const std::optional<RecordedCopy>& record, crypto::KeyRing* keys = nullptr,
                                WithoutRecord without_record = WithoutRecord::fails);

}  // namespace mysqlpitr::archive
