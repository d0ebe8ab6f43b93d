#include "crypto/open_input.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "crypto/decrypting_source.hpp"
#include "crypto/header.hpp"
#include "crypto/key_lookup.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::crypto {
namespace {

// The source's bytes, hashed as stored, with the first ones read ahead so the header can be
// recognised before anything else consumes them.
class PeekedSource final : public io::ByteSource {
 public:
  PeekedSource(std::unique_ptr<io::ByteSource> inner, io::Sha256* digest) : inner_(std::move(inner)), digest_(digest) {
    head_.resize(kMagic.size());
    head_.resize(io::read_up_to(*inner_, head_.data(), head_.size()));
    if (digest_) digest_->update(head_);
  }
  const std::string& head() const { return head_; }
  size_t read(char* buffer, size_t size) override {
    if (head_at_ < head_.size()) {
      size_t take = std::min(size, head_.size() - head_at_);
      std::memcpy(buffer, head_.data() + head_at_, take);
      head_at_ += take;
      return take;
    }
    return pull(buffer, size);
  }

 private:
  size_t pull(char* buffer, size_t size) {
    size_t got = inner_->read(buffer, size);
    if (digest_) digest_->update(std::string_view(buffer, got));
    return got;
  }

  std::unique_ptr<io::ByteSource> inner_;
  io::Sha256* digest_;
  std::string head_;
  size_t head_at_ = 0;
};

}  // namespace

std::unique_ptr<io::ByteSource> open_decrypted(std::unique_ptr<io::ByteSource> source, std::string name, KeyRing* keys) {
  if (!keys) {
    // The header names the key; read it to say which one is needed.
    std::string header(kHeaderBytes, '\0');
    header.resize(io::read_up_to(*source, header.data(), header.size()));
    key_for_header(nullptr, parse_header(header, name), name);
  }
  return std::make_unique<DecryptingSource>(std::move(source), *keys, std::move(name));
}

std::unique_ptr<io::InputStream> open_input(std::unique_ptr<io::ByteSource> source, std::string name, KeyRing* keys,
                                            io::Sha256* raw_digest) {
  auto peeked = std::make_unique<PeekedSource>(std::move(source), raw_digest);
  if (!looks_encrypted(peeked->head())) {
    // A file named encrypted that is not would be read unauthenticated: a forgery, or a mix-up.
    if (name.ends_with(".enc"))
      throw failure("{}: named as encrypted but holds no encryption header: the file was altered or replaced", name);
    return io::open_input(std::move(peeked), std::move(name));
  }
  return io::open_input(open_decrypted(std::move(peeked), name, keys), name);
}

std::unique_ptr<io::InputStream> open_input(const std::string& path, KeyRing* keys, io::Sha256* raw_digest) {
  return open_input(io::open_file_source(path), path, keys, raw_digest);
}

}  // namespace mysqlpitr::crypto
