#pragma once
// Encrypting into a string and decrypting from one, for the crypto unit tests.
#include <memory>
#include <string>

#include "crypto/decrypting_source.hpp"
#include "crypto/encrypting_sink.hpp"
#include "crypto/key.hpp"
#include "support/trickle_source.hpp"

namespace mysqlpitr::testing {


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

}  // namespace mysqlpitr::testing
