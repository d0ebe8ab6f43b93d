#include "crypto/decrypting_source.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "crypto/chunk.hpp"
#include "crypto/key_lookup.hpp"
#include "crypto/sodium_init.hpp"

namespace mysqlpitr::crypto {

DecryptingSource::DecryptingSource(std::unique_ptr<io::ByteSource> in, KeyRing& keys, std::string name)
    : in_(std::move(in)), name_(std::move(name)) {
  ensure_sodium();
  header_bytes_.resize(kHeaderBytes);
  header_bytes_.resize(io::read_up_to(*in_, header_bytes_.data(), kHeaderBytes));
  header_ = parse_header(header_bytes_, name_);
  const Key& key = key_for_header(&keys, header_, name_);
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, header_.stream_header.data(), key.bytes()) != 0)
    throw failure("{}: the encryption header is damaged", name_);
  sealed_.resize(header_.chunk_size + kChunkOverhead);
  plain_.resize(header_.chunk_size);
  plain_.clear();
}

DecryptingSource::~DecryptingSource() {
  sodium_memzero(&state_, sizeof state_);
  sodium_memzero(plain_.data(), plain_.size());
}

bool DecryptingSource::open_next_chunk() {
  size_t got = io::read_up_to(*in_, sealed_.data(), sealed_.size());
  if (final_seen_) {
    if (got != 0) throw failure("{}: data follows the final encrypted chunk: the file was altered", name_);
    return false;
  }
  if (got == 0)
    throw failure("{}: ends after {} encrypted chunks without the final one: the file is truncated", name_, chunks_);
  if (got < kChunkOverhead)
    throw failure("{}: encrypted chunk {} is cut short: the file is truncated", name_, chunks_ + 1);
  unsigned char tag = 0;
  if (!open_chunk(state_, std::string_view(sealed_.data(), got), header_bytes_, header_.chunk_size, plain_, tag))
    throw failure("{}: encrypted chunk {} (at byte {}) does not authenticate: the file was altered, damaged or cut",
                  name_, chunks_ + 1, kHeaderBytes + chunks_ * sealed_.size());
  ++chunks_;
  plain_at_ = 0;
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) final_seen_ = true;
  else if (got < sealed_.size())
    throw failure("{}: encrypted chunk {} is short but not the final one: the file was altered", name_, chunks_);
  else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
    throw failure("{}: encrypted chunk {} carries an unexpected tag: the file was altered", name_, chunks_);
  return true;
}

size_t DecryptingSource::read(char* buffer, size_t size) {
  while (plain_at_ == plain_.size()) {
    if (!open_next_chunk()) return 0;
  }
  size_t take = std::min(size, plain_.size() - plain_at_);
  std::memcpy(buffer, plain_.data() + plain_at_, take);
  plain_at_ += take;
  return take;
}

}  // namespace mysqlpitr::crypto
