#include "crypto/decrypting_random_source.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "crypto/chunk.hpp"
#include "crypto/key_lookup.hpp"
#include "crypto/sodium_init.hpp"

namespace mysqlpitr::crypto {
namespace {

// Exactly `size` bytes from `offset`, or fewer only where the data ends.
size_t read_fully(io::RandomSource& source, unsigned long long offset, char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    size_t got = source.read_at(offset + done, buffer + done, size - done);
    if (got == 0) break;
    done += got;
  }
  return done;
}

unsigned long long chunk_count(const Header& header, unsigned long long stored_size) {
  const unsigned long long sealed = header.chunk_size + kChunkOverhead;
  return (stored_size - kHeaderBytes + sealed - 1) / sealed;
}

}  // namespace

unsigned long long plain_size_of(const Header& header, unsigned long long stored_size, const std::string& name) {
  if (stored_size < kHeaderBytes + kChunkOverhead)
    throw failure("{}: {} bytes are too few for an encrypted file (a header and one chunk): the file is truncated", name,
                  stored_size);
  // Every chunk but the last is whole; the last holds at least one byte, unless it is the only
  // one (an empty file). Any other size is a file cut inside its last chunk (or extended).
  const unsigned long long sealed = header.chunk_size + kChunkOverhead;
  const unsigned long long chunks = chunk_count(header, stored_size);
  const unsigned long long last = stored_size - kHeaderBytes - (chunks - 1) * sealed;
  if (last < kChunkOverhead + 1 && !(last == kChunkOverhead && chunks == 1))
    throw failure("{}: {} bytes cannot end an encrypted file (its last chunk is cut): the file is truncated or altered",
                  name, stored_size);
  return stored_size - kHeaderBytes - chunks * kChunkOverhead;
}

DecryptingRandomSource::DecryptingRandomSource(std::unique_ptr<io::RandomSource> raw, KeyRing& keys, std::string name)
    : raw_(std::move(raw)), name_(std::move(name)) {
  ensure_sodium();
  header_bytes_.resize(kHeaderBytes);
  header_bytes_.resize(read_fully(*raw_, 0, header_bytes_.data(), kHeaderBytes));
  header_ = parse_header(header_bytes_, name_);
  key_ = &key_for_header(&keys, header_, name_);
  plain_size_ = plain_size_of(header_, raw_->size(), name_);
  chunks_ = chunk_count(header_, raw_->size());
  sealed_.resize(header_.chunk_size + kChunkOverhead);
  restart();
}

DecryptingRandomSource::~DecryptingRandomSource() {
  sodium_memzero(&state_, sizeof state_);
  if (!plain_.empty()) sodium_memzero(plain_.data(), plain_.size());
}

void DecryptingRandomSource::restart() {
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, header_.stream_header.data(), key_->bytes()) != 0)
    throw failure("{}: the encryption header is damaged", name_);
  next_chunk_ = 0;
  plain_.clear();
}

void DecryptingRandomSource::pull_next_chunk() {
  try {
    pull_and_check();
  } catch (...) {
    // Refused once, refused for good: the half-checked chunk is never given out by a later read.
    failed_ = true;
    plain_.assign(plain_.size(), '\0');
    plain_.clear();
    throw;
  }
}

void DecryptingRandomSource::pull_and_check() {
  const unsigned long long at = kHeaderBytes + next_chunk_ * sealed_.size();
  const size_t want = static_cast<size_t>(std::min<unsigned long long>(sealed_.size(), raw_->size() - at));
  if (read_fully(*raw_, at, sealed_.data(), want) != want)
    throw failure("{}: encrypted chunk {} is cut short (the file shrank while it was read)", name_, next_chunk_ + 1);
  unsigned char tag = 0;
  if (!open_chunk(state_, std::string_view(sealed_.data(), want), header_bytes_, header_.chunk_size, plain_, tag))
    throw failure("{}: encrypted chunk {} (at byte {}) does not authenticate: the file was altered, damaged or cut",
                  name_, next_chunk_ + 1, at);
  ++next_chunk_;
  const bool last = next_chunk_ == chunks_;
  const bool final_tag = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  if (final_tag && !last)
    throw failure("{}: data follows the final encrypted chunk (chunk {} of {}): the file was altered", name_,
                  next_chunk_, chunks_);
  if (!final_tag && last)
    throw failure("{}: ends after {} encrypted chunks without the final one: the file is truncated", name_, chunks_);
  if (!final_tag && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
    throw failure("{}: encrypted chunk {} carries an unexpected tag: the file was altered", name_, next_chunk_);
  const unsigned long long expected =
      last ? plain_size_ - (chunks_ - 1) * header_.chunk_size : static_cast<unsigned long long>(header_.chunk_size);
  if (plain_.size() != expected)
    throw failure("{}: encrypted chunk {} holds {} bytes where {} belong: the file was altered", name_, next_chunk_,
                  plain_.size(), expected);
}

size_t DecryptingRandomSource::read_at(unsigned long long offset, char* buffer, size_t size) {
  if (failed_) throw failure("{}: refused already (an encrypted chunk did not authenticate)", name_);
  size_t done = 0;
  while (done < size && offset + done < plain_size_) {
    const unsigned long long position = offset + done;
    const unsigned long long chunk = position / header_.chunk_size;
    if (next_chunk_ == 0 || chunk < next_chunk_ - 1) restart();
    while (next_chunk_ <= chunk) pull_next_chunk();
    const size_t within = static_cast<size_t>(position - chunk * header_.chunk_size);
    if (within >= plain_.size()) break;  // cannot happen for a file that authenticated
    const size_t take = static_cast<size_t>(
        std::min<unsigned long long>({size - done, plain_.size() - within, plain_size_ - position}));
    std::memcpy(buffer + done, plain_.data() + within, take);
    done += take;
  }
  // A read that reaches the end authenticates the final chunk first (an empty file's only one):
  // the end of the data is given out only once the file is known to end there.
  while (done < size && next_chunk_ < chunks_) pull_next_chunk();
  return done;
}

std::optional<Header> read_header_of(io::RandomSource& source, const std::string& name) {
  std::string bytes(kHeaderBytes, '\0');
  bytes.resize(read_fully(source, 0, bytes.data(), bytes.size()));
  if (!looks_encrypted(bytes)) return std::nullopt;
  return parse_header(bytes, name);
}

std::optional<Header> read_header_of(const std::string& path) {
  auto source = io::open_random_file(path);
  return read_header_of(*source, path);
}

std::unique_ptr<io::RandomSource> open_random(std::unique_ptr<io::RandomSource> raw, std::string name, KeyRing* keys) {
  auto header = read_header_of(*raw, name);
  if (!header) return raw;
  key_for_header(keys, *header, name);  // no key: the message naming the one needed
  return std::make_unique<DecryptingRandomSource>(std::move(raw), *keys, std::move(name));
}

std::unique_ptr<io::RandomSource> open_random_file(const std::string& path, KeyRing* keys, std::string_view what) {
  return open_random(io::open_random_file(path, what), path, keys);
}

}  // namespace mysqlpitr::crypto
