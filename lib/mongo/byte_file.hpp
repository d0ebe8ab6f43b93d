#pragma once
// Sequential byte input of dump files, plain or gzip (chosen by the ".gz" suffix, as
// mongodump/mongorestore do with --gzip), and the interface their writers share (written through
// lib/storage: object_writer.hpp).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "crypto/key.hpp"
#include "io/byte_source.hpp"
#include "io/input_stream.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::mongo {

// An encrypted dump file is named as mongodump names it plus ".enc" (crypto/): "c1.bson.gz.enc".
inline constexpr std::string_view kEncryptedSuffix = ".enc";
bool has_encryption_suffix(const std::filesystem::path& path);
// The name without its ".enc", if it has one.
std::string without_encryption_suffix(const std::string& name);
// ".gz" before any ".enc".
bool has_gzip_suffix(const std::filesystem::path& path);

// How a dump file that is not on this host (an object in a bucket) is read, by its path under the
// dump's root; empty: the local file at that path.
using FileOpener = std::function<std::unique_ptr<io::ByteSource>(const std::filesystem::path& path)>;

// Reads the files of a dump folder held as objects of `storage` (a folder on this host through the
// posix driver): the file `root`/"db1/c1.bson" is the object "db1/c1.bson".
FileOpener storage_opener(std::shared_ptr<storage::Storage> storage, std::filesystem::path root);

// Reads files through `inner` (empty: local files), an encrypted one (".enc") decrypted with `keys`
// chunk by chunk (crypto::open_decrypted: without the key, an error naming the key id it needs).
FileOpener decrypting_opener(FileOpener inner, crypto::KeyRing* keys);

class ByteReader {
 public:
  explicit ByteReader(std::filesystem::path path, const FileOpener& open = {});
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;
  ~ByteReader();

  // Reads up to out.size() bytes; fewer only at the end of the (uncompressed) stream. Throws on
  // I/O errors and on a gzip stream that is corrupt or cut short.
  std::size_t read(std::span<std::uint8_t> out);
  const std::filesystem::path& path() const noexcept { return path_; }
  bool gzip() const noexcept { return stream_ != nullptr; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<io::ByteSource> source_;   // a plain file
  std::unique_ptr<io::InputStream> stream_;  // a gzip file, decompressed
};

// Reads a whole (small) file, decompressing when its name ends in ".gz".
std::string read_whole_file(const std::filesystem::path& path, const FileOpener& open = {});

// One file of a dump being written: bytes in order, whole only after commit().
class DumpFileWriter {
 public:
  virtual ~DumpFileWriter() = default;
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
  void write(std::string_view text) {
    write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  virtual void commit() = 0;
  // Bytes given to write() (before compression).
  virtual std::uint64_t bytes_in() const noexcept = 0;
  // Bytes stored (after compression); known once committed.
  virtual std::uint64_t size() const = 0;
};

}  // namespace mysqlpitr::mongo
