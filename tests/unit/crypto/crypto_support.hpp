#pragma once
// Encrypting into a string and decrypting from one, for the crypto unit tests.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "crypto/decrypting_random_source.hpp"
#include "crypto/decrypting_source.hpp"
#include "crypto/encrypting_sink.hpp"
#include "crypto/key.hpp"
#include "support/trickle_source.hpp"

namespace mysqlpitr::testing {

// Text that differs from chunk to chunk, so a chunk moved elsewhere cannot decrypt to the same bytes.
inline std::string pattern(size_t size) {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return text;
}

inline std::string encrypt(const std::string& plain, const crypto::Key& key, uint32_t chunk) {
  std::string out;
  crypto::EncryptingSink sink([&](std::string_view data) { out.append(data); }, key, chunk);
  sink.write(plain);
  sink.finish();
  return out;
}

inline std::string decrypt(const std::string& sealed, crypto::KeyRing& keys, size_t step = 1 << 20) {
  crypto::DecryptingSource source(std::make_unique<TrickleSource>(sealed, step), keys, "backup.sql.gz.enc");
  std::string out;
  char buffer[1000];
  while (size_t got = source.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

inline crypto::KeyRing ring_of(const std::string& contents, const std::string& path = "/etc/mysqlpitr/backup.key") {
  std::vector<crypto::KeyFile> files;
  files.push_back(crypto::KeyFile::from_contents(path, contents));
  return crypto::KeyRing(std::move(files));
}

// A file in memory, read by offset, counting the bytes read (to see that forward reads decrypt
// each chunk once).
class StringSource final : public io::RandomSource {
 public:
  explicit StringSource(std::string data, unsigned long long* read = nullptr) : data_(std::move(data)), read_(read) {}
  unsigned long long size() const override { return data_.size(); }
  size_t read_at(unsigned long long offset, char* buffer, size_t size) override {
    if (offset >= data_.size()) return 0;
    size_t take = std::min<size_t>(size, data_.size() - offset);
    std::memcpy(buffer, data_.data() + offset, take);
    if (read_) *read_ += take;
    return take;
  }

 private:
  std::string data_;
  unsigned long long* read_;
};

// Everything `source` gives, read forward `step` bytes at a time.
inline std::string read_all(io::RandomSource& source, size_t step) {
  std::string out;
  std::string buffer(step, '\0');
  while (size_t got = source.read_at(out.size(), buffer.data(), step)) out.append(buffer.data(), got);
  return out;
}

// The plain bytes of `sealed` read by offset through crypto::open_random, `step` bytes at a time.
inline std::string read_by_offset(const std::string& sealed, crypto::KeyRing& keys, size_t step) {
  auto source = crypto::open_random(std::make_unique<StringSource>(sealed), "backup", &keys);
  return read_all(*source, step);
}

}  // namespace mysqlpitr::testing
