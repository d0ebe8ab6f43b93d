#pragma once
// An encrypted file read by offset, as the binlog readers read archived binlogs: the plain bytes
// at any offset, each chunk authenticated before any of its bytes is given out. Chunks are
// authenticated in order (secretstream's state runs from the first chunk to the last), so a read
// before the current chunk starts again from the first: readers that go forward (the binlog
// reader, the header scan) decrypt each chunk once.
//
// The plain size is known from the stored size and the header's chunk size alone (every chunk but
// the last is whole); a file whose last chunk is not marked final (cut at a chunk boundary), or
// with a final chunk before its end (extended), is refused when that chunk is read.
#include <sodium.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/header.hpp"
#include "crypto/key.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::crypto {

class DecryptingRandomSource final : public io::RandomSource {
 public:
  // Reads the header at once: an unknown key is a precondition error naming the key id needed.
  DecryptingRandomSource(std::unique_ptr<io::RandomSource> raw, KeyRing& keys, std::string name);
  ~DecryptingRandomSource() override;

  unsigned long long size() const override { return plain_size_; }
  size_t read_at(unsigned long long offset, char* buffer, size_t size) override;

 private:
  void restart();
  void pull_next_chunk();
  void pull_and_check();

  std::unique_ptr<io::RandomSource> raw_;
  std::string name_;
  std::string header_bytes_;
  Header header_;
  const Key* key_ = nullptr;
  unsigned long long chunks_ = 0;  // in the file
  unsigned long long plain_size_ = 0;
  crypto_secretstream_xchacha20poly1305_state state_{};
  unsigned long long next_chunk_ = 0;  // the chunk the state pulls next
  std::string sealed_;
  std::string plain_;  // chunk next_chunk_ - 1, when next_chunk_ > 0
  bool failed_ = false;
};

// The plain size of an encrypted file of `stored_size` bytes whose header is `header`; a size no
// encrypted file can have (shorter than a header and one chunk) is an error naming the file.
unsigned long long plain_size_of(const Header& header, unsigned long long stored_size, const std::string& name);

// Opens `raw` for reading: an encrypted file (recognised by its header) decrypted through
// DecryptingRandomSource, anything else as it is. Without `keys` an encrypted file is a
// precondition error naming the key id it needs.
std::unique_ptr<io::RandomSource> open_random(std::unique_ptr<io::RandomSource> raw, std::string name, KeyRing* keys);
std::unique_ptr<io::RandomSource> open_random_file(const std::string& path, KeyRing* keys, std::string_view what = "file");

// The encryption header of a local file, or nullopt when the file is not encrypted (or is shorter
// than a header). No key is needed: listings use it for the plain size and the key id.
std::optional<Header> read_header_of(const std::string& path);
std::optional<Header> read_header_of(io::RandomSource& source, const std::string& name);

}  // namespace mysqlpitr::crypto
