#pragma once
// How a dump file is put together. Each table (and each database's stored objects) is written by a
// worker into its own compressed segment, spooled to a hidden temporary file next to the target;
// the final file is the segments concatenated in dump order (concatenated gzip members and zstd
// frames are one valid stream), streamed into a storage writer (a folder's or a bucket's). Memory
// stays bounded whatever the table sizes, and the file gets its final name only when whole.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/encrypting_sink.hpp"
#include "crypto/key.hpp"
#include "crypto/spool_cipher.hpp"
#include "io/atomic_file.hpp"
#include "io/compressed_writer.hpp"
#include "io/pipelined_sink.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {

// What the segments of a run may spool at once (the bytes in their spool files). A segment's writer
// waits while taking more would go past the limit, unless nothing is spooled.
class SpoolBudget {
 public:
  explicit SpoolBudget(unsigned long long limit) : limit_(limit) {}
  // Takes `bytes` when within the limit (or when nothing is taken: one block always fits).
  bool try_take(unsigned long long bytes);
  void give_back(unsigned long long bytes) { used_ -= bytes; }
  unsigned long long used() const { return used_; }

 private:
  const unsigned long long limit_;
  std::atomic<unsigned long long> used_{0};
};

class Segment {
 public:
  // `spool_name` is a path in the target folder; the spool's real name is a hidden temporary one.
  // `encrypted`: the spool is enciphered with a random key of its own (crypto::SpoolCipher), held
  // only in this object's memory, so the folder never holds an encrypted backup's rows in the clear,
  // not even for a while. `budget` (null: none): the spool's bytes are counted there, and a writer
  // whose spool would go past it waits until there is room or the segment goes live (go_live()).
  Segment(const std::string& spool_name, io::Compression compression, int level, io::CompressorPool& pool,
          bool encrypted = false, SpoolBudget* budget = nullptr);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  ~Segment() { release_spool(); }

  io::CompressedWriter& writer() noexcept { return writer_; }
  void write(std::string_view text) { writer_.write(text); }
  void finish();
  const std::string& spool_path() const noexcept { return spool_path_; }
  // The compressed bytes, as the final file takes them (the spool holds them enciphered when encrypted).
  unsigned long long compressed_bytes() const noexcept { return writer_.bytes_out(); }
  // The spool's compressed bytes, deciphered when it is enciphered.
  std::unique_ptr<io::ByteSource> open_spool() const;
  // The same given to `to` in order;
  // throws unless they are every byte written to it.
  void copy_spool(const io::ByteSink& to) const;
  // Removes the spool once its bytes were taken (a finished segment added to its file).
  void release_spool();

  // Called from another thread than the writer's: the bytes spooled so far go to `live` now, the
  // spool is removed, and every later byte goes to `live` as it is written (the segment's turn in
  // a file streamed in order has come).
  void go_live(const io::ByteSink& live);
  // Its file will not be finished: the writer throws at its next bytes (instead of waiting).
  void abandon();

 private:
  void emit(std::string_view bytes);
  void spool(std::string_view bytes);

  std::optional<io::AtomicFile> file_;  // never committed: the spool is removed with the segment
  std::string spool_path_;
  std::unique_ptr<crypto::SpoolCipher> cipher_;
  std::string enciphered_;  // one block's bytes on their way to the spool
  SpoolBudget* budget_ = nullptr;
  std::mutex route_mutex_;  // guards live_ and abandoned_, and orders the hand-over to go_live()
  std::condition_variable route_changed_;
  io::ByteSink live_;
  bool abandoned_ = false;
  io::CompressedWriter writer_;  // last: its sink uses the members above
};

struct FinishedFile {
  std::string path;
  unsigned long long size = 0;
  std::string sha256;
};

// `key` set: everything added is encrypted on its way out (crypto::EncryptingSink), and the size
// and SHA-256 are those of the encrypted bytes, as stored.
class OutputAssembler {
 public:
  // Streamed into a storage writer (a file in a folder, an object in a bucket) named `name` in
  // messages and reports.
  OutputAssembler(std::unique_ptr<storage::Writer> writer, std::string name, io::Compression compression, int level,
                  const crypto::Key* key = nullptr);
  // Built in place (returned by value through guaranteed copy elision only): the encryption's sink
  // holds this object's address.
  OutputAssembler(OutputAssembler&&) = delete;
  OutputAssembler& operator=(OutputAssembler&&) = delete;
  // Small text (headers, footers): compressed here as its own member/frame.
  void add_text(std::string_view text);
  void add_segment(const Segment& segment);
  // Compressed bytes (a live segment's) as they come.
  void add_compressed(std::string_view bytes) { add(bytes); }
  // Size and SHA-256 of the whole file; nothing may be added afterwards.
  FinishedFile finish();
  // The streamed object made whole under its key (what the storage counted and hashed).
  storage::Published publish_object() { return writer_->publish(); }

 private:
  void start(const crypto::Key* key);
  // Bytes of the file's content: through the encryption when there is one, then to the pipe.
  void add(std::string_view bytes);
  // Bytes as stored, on the pipe's thread: hashed and written while the next ones are prepared.
  void put(std::string_view bytes);

  std::unique_ptr<storage::Writer> writer_;
  std::string name_;
  unsigned long long bytes_ = 0;
  io::Compression compression_;
  int level_;
  struct Hash;
  std::shared_ptr<Hash> hash_;
  std::unique_ptr<crypto::EncryptingSink> encrypter_;  // its sink points at this object: not movable
  std::unique_ptr<io::PipelinedSink> pipe_;  // last: stopped first, before what put() uses goes

};

}  // namespace mysqlpitr::dump
