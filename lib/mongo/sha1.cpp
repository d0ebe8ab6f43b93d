#include "mongo/sha1.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

std::array<std::uint8_t, 20> sha1(std::string_view data) {
  std::array<std::uint8_t, 20> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1 ||
      length != digest.size())
    throw failure("SHA-1 of a collection name failed (OpenSSL)");
  return digest;
}

}  // namespace mysqlpitr::mongo
