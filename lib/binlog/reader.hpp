#pragma once
// Streaming reader of one binlog file: reads event by event through a fixed buffer (memory is
// bounded by the largest event, never by the file), verifies CRC32 checksums, decodes each event,
// and expands MySQL 8 Transaction_payload events into the events they carry.
//
//   binlog::FileReader reader(path);
//   while (const binlog::Event* event = reader.next()) { ... }
//
// A corrupt or cut file makes next() throw an Error naming the file and the byte offset of the
// event that cannot be read; every event returned before it was whole and (when the file has
// checksums) verified. The pointer returned by next() is valid until the following call.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "binlog/decode.hpp"
#include "binlog/event.hpp"
#include "crypto/key.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::binlog {

struct ReaderOptions {
  bool verify_checksums = true;
  bool expand_payloads = true;  // yield the events inside Transaction_payload
  // Reads a file encrypted by mysqlpitr (an archived binlog; recognised by its header) through
  // these keys; null: such a file is refused naming the key it needs.
  crypto::KeyRing* keys = nullptr;
};

class FileReader {
 public:
  explicit FileReader(std::string path, ReaderOptions options = {});
  // The same over any source (an object in a bucket, read by ranges); `name` is what messages show.
  FileReader(std::string name, std::unique_ptr<io::RandomSource> source, ReaderOptions options = {});
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // The next event, or nullptr at the clean end of the file.
  const Event* next();

  // Continue reading at `position`, which must be an event boundary (e.g. a stored coordinate).
  // The format description is read first if it was not yet.
  void seek(std::uint64_t position);

  const std::string& path() const { return path_; }
  const FormatDescription& format() const { return format_; }
  // Offset of the next top-level event (after an error: of the event that could not be read).
  std::uint64_t position() const { return position_; }
  std::uint64_t file_size() const { return file_size_; }
  // The format description carried LOG_EVENT_BINLOG_IN_USE_F: the server had it open (or crashed).
  bool in_use() const { return in_use_; }

 private:
  bool fill(std::size_t wanted);  // ensure `wanted` bytes from position_ are buffered
  const Event* read_top_level();
  const Event* next_inner();
  void decode_into(Event& event, const std::uint8_t* bytes, std::size_t size, bool has_checksum);
  void expand_payload(const Event& event);
  [[noreturn]] void fail(std::uint64_t offset, const std::string& what) const;

  std::string path_;
  ReaderOptions options_;
  std::unique_ptr<io::RandomSource> source_;
  std::uint64_t file_size_ = 0;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  std::size_t buffer_length_ = 0;
  std::uint64_t position_ = 0;
  bool started_ = false;  // magic and first event checked
  bool in_use_ = false;
  bool encrypted_ = false;
  FormatDescription format_;
  TableMaps tables_;
  Event event_;
  // Inner events of the current Transaction_payload.
  std::vector<std::uint8_t> payload_;
  std::size_t payload_at_ = 0;
  std::uint32_t payload_index_ = 0;
  std::uint64_t payload_position_ = 0, payload_end_ = 0;
  struct Zstd;
  std::unique_ptr<Zstd> zstd_;
};

}  // namespace mysqlpitr::binlog
