#pragma once
// Encrypts a byte stream on its way to a sink (a storage writer, an AtomicFile): a header, then
// chunks sealed with libsodium's secretstream (XChaCha20-Poly1305), the last marked final. Memory
// is one chunk whatever the size of the data. The output is whole only after finish().
#include <sodium.h>

#include <string>
#include <string_view>

#include "crypto/header.hpp"
#include "crypto/key.hpp"
#include "io/compressed_writer.hpp"

namespace mysqlpitr::crypto {

class EncryptingSink {
 public:
  EncryptingSink(io::ByteSink out, const Key& key, uint32_t chunk_size = kDefaultChunk);
  ~EncryptingSink();
  EncryptingSink(const EncryptingSink&) = delete;
  EncryptingSink& operator=(const EncryptingSink&) = delete;

  void write(std::string_view data);
  // Seals what is buffered as the final chunk. Without it a reader refuses the file as truncated.
  void finish();
  // As an io::ByteSink (for io::CompressedWriter); this object must outlive the returned sink.
  io::ByteSink sink() {
    return [this](std::string_view data) { write(data); };
  }

 private:
  void seal(std::string_view plain, unsigned char tag);
  void seal_pending(unsigned char tag);

  io::ByteSink out_;
  std::string header_bytes_;  // the additional data of every chunk
  crypto_secretstream_xchacha20poly1305_state state_{};
  uint32_t chunk_size_;
  std::string pending_;
  std::string sealed_;
  bool finished_ = false;
};

}  // namespace mysqlpitr::crypto
