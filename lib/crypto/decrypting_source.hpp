#pragma once
// Reads an encrypted file as the plain bytes it holds, authenticating every chunk before giving out
// any of its bytes. A changed, reordered, swapped, cut or extended file is an error naming it; so
// is a file cut exactly at a chunk boundary (its last chunk is not the one marked final): a
// shorter backup is never delivered as if it were whole.
#include <sodium.h>

#include <memory>
#include <string>

#include "crypto/header.hpp"
#include "crypto/key.hpp"
#include "io/byte_source.hpp"

namespace mysqlpitr::crypto {

class DecryptingSource : public io::ByteSource {
 public:
  // Reads the header at once: an unknown key is a precondition error naming the key id the file
  // needs and the configured ones, before any caller acts on the file.
  DecryptingSource(std::unique_ptr<io::ByteSource> in, KeyRing& keys, std::string name);
  ~DecryptingSource() override;

  size_t read(char* buffer, size_t size) override;
  const KeyId& key_id() const noexcept { return header_.key_id; }

 private:
  bool open_next_chunk();

  std::unique_ptr<io::ByteSource> in_;
  std::string name_;
  Header header_;
  std::string header_bytes_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string sealed_;
  std::string plain_;
  size_t plain_at_ = 0;
  unsigned long long chunks_ = 0;
  bool final_seen_ = false;
};

}  // namespace mysqlpitr::crypto
