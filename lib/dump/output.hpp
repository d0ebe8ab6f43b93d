#pragma once
// How a dump file is put together. Each table (and each database's stored objects) is written by a
// worker into its own compressed segment, spooled to a hidden temporary file next to the target;
// the final file is the segments concatenated in dump order (concatenated gzip members and zstd
// frames are one valid stream). Memory stays bounded whatever the table sizes, and the file gets
// its final name only when whole (io::AtomicFile).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/atomic_file.hpp"
#include "io/compressed_writer.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {

class Segment {
 public:
  // `spool_name` is a path in the target folder; the spool's real name is a hidden temporary one.
  Segment(const std::string& spool_name, io::Compression compression, int level, io::CompressorPool& pool);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  io::CompressedWriter& writer() noexcept { return writer_; }
  void write(std::string_view text) { writer_.write(text); }
  void finish() { writer_.finish(); }
  const std::string& spool_path() const noexcept { return file_.temp_path(); }
  unsigned long long stored_bytes() const noexcept { return file_.bytes_written(); }

 private:
  io::AtomicFile file_;  // never committed: the spool is removed with the segment
  io::CompressedWriter writer_;
};

struct FinishedFile {
  std::string path;
  unsigned long long size = 0;
  std::string sha256;
};

class OutputAssembler {
 public:
  OutputAssembler(std::string final_path, io::Compression compression, int level);
  // Streamed into a storage writer (an object in a bucket) named `name` in messages and reports.
  OutputAssembler(std::unique_ptr<storage::Writer> writer, std::string name, io::Compression compression, int level);
  // Small text (headers, footers): compressed here as its own member/frame.
  void add_text(std::string_view text);
  void add_segment(const Segment& segment);
  // Size and SHA-256 of the whole file; nothing may be added afterwards.
  FinishedFile finish();
  // fsync, rename to the final name, fsync the folder.
  void commit() { file_->commit(); }
  const std::string& temp_path() const noexcept { return file_->temp_path(); }
  // The streamed object made whole under its key (what the storage counted and hashed).
  storage::Published publish_object() { return writer_->publish(); }

 private:
  void put(std::string_view bytes);

  std::optional<io::AtomicFile> file_;
  std::unique_ptr<storage::Writer> writer_;
  std::string name_;
  unsigned long long bytes_ = 0;
  io::Compression compression_;
  int level_;
  struct Hash;
  std::shared_ptr<Hash> hash_;
};

}  // namespace mysqlpitr::dump
