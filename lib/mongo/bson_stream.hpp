#pragma once
// A .bson file as mongodump writes it: BSON documents back to back, each starting with its int32
// little-endian total length and ending with a 0 byte, up to the end of the file. No header.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "mongo/byte_file.hpp"

namespace mysqlpitr::mongo {

// The server's document limit (16 MiB) plus the room it allows internally for oplog entries.
inline constexpr std::uint32_t max_document_bytes = 16 * 1024 * 1024 + 16 * 1024;

class BsonFileReader {
 public:
  // `validate`: also walk each document's elements (bson_validate), not only its framing.
  explicit BsonFileReader(const std::filesystem::path& path, bool validate = true, const FileOpener& open = {});

  // The next document's bytes, valid until the next call; nullopt at a clean end of file. Throws
  // naming the file and the (uncompressed) offset of a bad or cut-short document.
  std::optional<std::span<const std::uint8_t>> next();

  std::uint64_t document_offset() const noexcept { return document_offset_; }
  std::uint64_t bytes_read() const noexcept { return position_; }
  std::uint64_t documents_read() const noexcept { return documents_; }

 private:
  ByteReader input_;
  bool validate_;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t position_ = 0;
  std::uint64_t document_offset_ = 0;
  std::uint64_t documents_ = 0;
};

struct StreamSummary {
  std::uint64_t documents = 0;
  std::uint64_t bytes = 0;  // uncompressed
};
// Reads a whole .bson/.bson.gz file, checking every document; throws at the first bad one.
StreamSummary scan_bson_file(const std::filesystem::path& path, bool validate = true, const FileOpener& open = {});

}  // namespace mysqlpitr::mongo
