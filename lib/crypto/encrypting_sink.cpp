#include "crypto/encrypting_sink.hpp"

#include "core/error.hpp"
#include "crypto/sodium_init.hpp"

namespace mysqlpitr::crypto {

EncryptingSink::EncryptingSink(io::ByteSink out, const Key& key, uint32_t chunk_size)
    : out_(std::move(out)), chunk_size_(chunk_size) {
  ensure_sodium();
  if (chunk_size_ == 0 || chunk_size_ > kMaxChunk) throw failure("encryption chunk size {} is out of range", chunk_size_);
  Header header;
  header.chunk_size = chunk_size_;
  header.key_id = key.id();
  header.derivation = key.derivation();
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header.stream_header.data(), key.bytes());
  header_bytes_ = serialize(header);
  out_(header_bytes_);
  pending_.reserve(chunk_size_);
  sealed_.resize(chunk_size_ + kChunkOverhead);
}

EncryptingSink::~EncryptingSink() { sodium_memzero(&state_, sizeof state_); }

void EncryptingSink::write(std::string_view data) {
  if (finished_) throw failure("internal: write after the final encrypted chunk");
  while (!data.empty()) {
    // More data follows a full pending chunk: it is not the final one.
    if (pending_.size() == chunk_size_) seal_pending(crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    // Whole chunks of the caller's data are sealed where they are, without a copy. The last bytes
    // always wait in pending_: only finish() knows which chunk is the final one.
    if (pending_.empty() && data.size() > chunk_size_) {
      seal(data.substr(0, chunk_size_), crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      data.remove_prefix(chunk_size_);
      continue;
    }
    size_t take = std::min<size_t>(data.size(), chunk_size_ - pending_.size());
    pending_.append(data.substr(0, take));
    data.remove_prefix(take);
  }
}

void EncryptingSink::finish() {
  if (finished_) return;
  seal_pending(crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  finished_ = true;
}

void EncryptingSink::seal_pending(unsigned char tag) {
  seal(pending_, tag);
  sodium_memzero(pending_.data(), pending_.size());
  pending_.clear();
}

void EncryptingSink::seal(std::string_view plain, unsigned char tag) {
  unsigned long long length = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_, reinterpret_cast<unsigned char*>(sealed_.data()), &length,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(header_bytes_.data()), header_bytes_.size(), tag);
  out_(std::string_view(sealed_.data(), static_cast<size_t>(length)));
}

}  // namespace mysqlpitr::crypto
