#pragma once
// Confidentiality for a run's own temporary files (a dump's per-table spools), which exist only
// until the run assembles them into the encrypted backup: XChaCha20 with a random key and nonce
// held only in this object's memory, applied at any byte offset. There is no MAC: the spool is
// read back by the run that wrote it and checked by its byte count, and the
// authenticated encryption is the final file's (crypto::EncryptingSink). It is cheaper than the
// authenticated stream, and the spool is written and read once each.
#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "io/byte_source.hpp"

namespace mysqlpitr::crypto {

class SpoolCipher {
 public:
  SpoolCipher();
  ~SpoolCipher();
  SpoolCipher(const SpoolCipher&) = delete;
  SpoolCipher& operator=(const SpoolCipher&) = delete;

  // XORs `size` bytes at byte `offset` of the stream with the key stream (encrypts and decrypts).
  void apply(std::uint64_t offset, char* data, std::size_t size) const;

 private:
  std::array<unsigned char, crypto_stream_xchacha20_KEYBYTES> key_{};
  std::array<unsigned char, crypto_stream_xchacha20_NONCEBYTES> nonce_{};
};

// `in`'s bytes deciphered with `cipher` (which must outlive the source).
std::unique_ptr<io::ByteSource> deciphered(std::unique_ptr<io::ByteSource> in, const SpoolCipher& cipher);

}  // namespace mysqlpitr::crypto
