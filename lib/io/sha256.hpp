#pragma once
// SHA-256 (OpenSSL's libcrypto): the hash the dump and binlog-archive manifests record.
#include <memory>
#include <string>
#include <string_view>

namespace mysqlpitr::io {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  // Lowercase hex digest; the object cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct FileDigest {
  unsigned long long size = 0;
  std::string sha256;  // lowercase hex
};

// Size and SHA-256 of a whole file, read sequentially; throws naming the file and offset.
FileDigest digest_file(const std::string& path);

}  // namespace mysqlpitr::io
