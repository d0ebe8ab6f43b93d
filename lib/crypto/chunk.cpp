#include "crypto/chunk.hpp"

namespace mysqlpitr::crypto {

bool open_chunk(crypto_secretstream_xchacha20poly1305_state& state, std::string_view sealed,
                std::string_view header_bytes, size_t chunk_size, std::string& plain, unsigned char& tag) {
  plain.resize(chunk_size);
  unsigned long long length = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state, reinterpret_cast<unsigned char*>(plain.data()), &length, &tag,
                                                 reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                                                 reinterpret_cast<const unsigned char*>(header_bytes.data()),
                                                 header_bytes.size()) != 0)
    return false;
  plain.resize(static_cast<size_t>(length));
  return true;
}

}  // namespace mysqlpitr::crypto
