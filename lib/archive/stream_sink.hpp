#pragma once
// What `binlogs stream` does with each event the server sends: the events of the server's files
// go into the `.streaming` file, the server's own stand-ins do not (the artificial Rotate naming
// the file a dump continues in, the Format_description re-sent when a dump starts inside a file,
// heartbeats). The server's Rotate closes the file; a dump that moves on to another binlog without
// one (the server stopped or crashed) closes it as well. Every event's end position is checked
// against the file's size: a gap or a duplicate is an error, never written.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "archive/manifest.hpp"
#include "archive/stream_file.hpp"

namespace mysqlpitr::archive {

struct StreamPoint {
  std::string file;               // the binlog being written (or to be opened next)
  std::uint64_t position = 4;     // end of its last whole event written
  std::uint32_t last_event_time = 0;
};

struct Closed {
  std::string binlog;
  VerifiedCopy copy;
};

class StreamSink {
 public:
  // `keys`: read an encrypted file of the archive; `encrypt`: each closed binlog is archived
  // encrypted with their writing key (StreamFile::close_verified).
  StreamSink(std::string folder, StreamPoint start, crypto::KeyRing* keys = nullptr, bool encrypt = false)
      : folder_(std::move(folder)), point_(std::move(start)), keys_(keys), encrypt_(encrypt) {}

  // Takes one event as the server sent it; returns the binlog it closed, if any.
  std::optional<Closed> take(std::span<const std::uint8_t> event);
  void sync();

  // Where a new dump goes on: the open file's end, else the binlog the last Rotate named.
  const StreamPoint& point() const { return point_; }
  // Events written since the stream started (heartbeats and stand-ins not counted).
  std::uint64_t events() const { return events_; }
  bool synced() const { return !file_ || file_->synced(); }

 private:
  std::optional<Closed> on_artificial_rotate(std::uint64_t position, const std::string& binlog);
  std::optional<Closed> close_file();

  std::string folder_;
  StreamPoint point_;
  crypto::KeyRing* keys_ = nullptr;
  bool encrypt_ = false;
  std::unique_ptr<StreamFile> file_;
  std::uint64_t events_ = 0;
  std::uint8_t last_type_ = 0;  // of the last event written
};

}  // namespace mysqlpitr::archive
