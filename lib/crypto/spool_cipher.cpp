#include "crypto/spool_cipher.hpp"

#include <algorithm>

#include "crypto/sodium_init.hpp"

namespace mysqlpitr::crypto {
namespace {

constexpr std::uint64_t kBlock = 64;  // XChaCha20's block: the counter counts these

class DecipheredSource final : public io::ByteSource {
 public:
  DecipheredSource(std::unique_ptr<io::ByteSource> in, const SpoolCipher& cipher) : in_(std::move(in)), cipher_(cipher) {}
  size_t read(char* buffer, size_t size) override {
    size_t got = in_->read(buffer, size);
    cipher_.apply(offset_, buffer, got);
    offset_ += got;
    return got;
  }

 private:
  std::unique_ptr<io::ByteSource> in_;
  const SpoolCipher& cipher_;
  std::uint64_t offset_ = 0;
};

}  // namespace

SpoolCipher::SpoolCipher() {
  ensure_sodium();
  randombytes_buf(key_.data(), key_.size());
  randombytes_buf(nonce_.data(), nonce_.size());
}

SpoolCipher::~SpoolCipher() { sodium_memzero(key_.data(), key_.size()); }

void SpoolCipher::apply(std::uint64_t offset, char* data, std::size_t size) const {
  auto* bytes = reinterpret_cast<unsigned char*>(data);
  if (size == 0) return;
  if (std::uint64_t skip = offset % kBlock; skip != 0) {
    // The rest of a block begun by an earlier call: its key stream, from the block's start.
    std::array<unsigned char, kBlock> stream{};
    crypto_stream_xchacha20_xor_ic(stream.data(), stream.data(), stream.size(), nonce_.data(), offset / kBlock,
                                   key_.data());
    std::size_t take = std::min<std::size_t>(size, kBlock - skip);
    for (std::size_t i = 0; i < take; ++i) bytes[i] ^= stream[skip + i];
    sodium_memzero(stream.data(), stream.size());
    bytes += take;
    size -= take;
    offset += take;
  }
  if (size > 0) crypto_stream_xchacha20_xor_ic(bytes, bytes, size, nonce_.data(), offset / kBlock, key_.data());
}

std::unique_ptr<io::ByteSource> deciphered(std::unique_ptr<io::ByteSource> in, const SpoolCipher& cipher) {
  return std::make_unique<DecipheredSource>(std::move(in), cipher);
}

}  // namespace mysqlpitr::crypto
