#pragma once
// The file `binlogs stream` writes: `<binlog>.streaming` in the archive folder, the server's
// events appended as they arrive (byte for byte as in the server's file), until the server closes
// that binlog; then it is synced, read to the end (every event whole, CRC32 checksums) and only
// then given the binlog's name. No reader of the archive takes `.streaming` for a closed binlog:
// binlog::parse_binlog_name refuses the suffix.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archive/manifest.hpp"
#include "crypto/key.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::archive {

inline constexpr const char* kStreamingSuffix = ".streaming";

std::string streaming_name(const std::string& binlog);  // "<binlog>.streaming"
// The binlog a `.streaming` file name belongs to, or nullopt for any other name.
std::optional<std::string> streamed_binlog(const std::string& name);

// How much of a file being streamed is whole: the end of its last whole event (checksums checked
// when it carries them), 0 when not even the binlog magic is, 4 for the magic alone.
struct WholePart {
  std::uint64_t end = 0;
  std::uint32_t last_event_time = 0;  // header timestamp of the last whole event (0: none)
  std::uint8_t last_event_type = 0;
  std::uint64_t size = 0;             // the file's size (more than end: a torn tail)
};
WholePart whole_part(const std::string& path);

class StreamFile {
 public:
  // Opens `<folder>/<binlog>.streaming` to go on at `position`: 4 starts it anew (the magic
  // written, anything there before discarded); a larger position keeps the bytes before it and
  // cuts the rest, and must not lie beyond the file's end.
  StreamFile(std::string folder, std::string binlog, std::uint64_t position);
  ~StreamFile();
  StreamFile(const StreamFile&) = delete;
  StreamFile& operator=(const StreamFile&) = delete;

  // Buffered: written to the file when `boundary` (the event ends a transaction, or stands alone),
  // when the buffer is full, and by sync(). A killed run loses at most the transaction in flight,
  // which the next run fetches again.
  void append(std::span<const std::uint8_t> event, bool boundary);
  // Writes the buffer, then fdatasync when anything was appended since the last one.
  void sync();

  const std::string& binlog() const { return binlog_; }
  std::string path() const;
  std::uint64_t size() const { return size_; }
  bool synced() const { return synced_ == size_; }

  // Sets LOG_EVENT_BINLOG_IN_USE_F in the file's Format_description, as the server's own file
  // keeps it when the server died writing it (the server sends the event with the flag cleared;
  // its checksum is computed without the flag).
  void mark_in_use();

  // The server closed the binlog: synced, read to the end and renamed to the binlog's name, never
  // over a file. When the archive holds that name already (rotate-binlogs copied it first), an equal
  // file stays and the streamed one is removed; a different one is an error and both stay.
  // With `encrypt` the archived file is an encrypted copy (archive/copy.hpp, through `keys`'
  // writing key) and the streamed one is removed once the copy is verified: the binlog the server
  // is writing stays plain in `.streaming`, as the server's own file is, until it closes.
  // `keys` also reads an encrypted file already archived under the name. Returns its record.
  VerifiedCopy close_verified(crypto::KeyRing* keys = nullptr, bool encrypt = false);

 private:
  void write_buffer();

  std::string folder_, binlog_;
  io::UniqueFd fd_;
  std::uint64_t size_ = 0, synced_ = 0;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace mysqlpitr::archive
