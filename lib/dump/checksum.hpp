#pragma once
// SHA-256 of a file's bytes as recorded in the manifest (OpenSSL's libcrypto).
#include <memory>
#include <string>
#include <string_view>

namespace mysqlpitr::dump {

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

// SHA-256 of a whole file in lowercase hex; throws naming the file.
std::string sha256_file(const std::string& path);

}  // namespace mysqlpitr::dump
