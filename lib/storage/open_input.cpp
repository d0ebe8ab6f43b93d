#include "crypto/open_input.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {

std::unique_ptr<io::InputStream> open_input(Storage& storage, const std::string& key, io::Sha256* raw_digest,
                                            crypto::KeyRing* keys) {
  return crypto::open_input(storage.open(key), storage.describe(key), keys, raw_digest);
}

}  // namespace mysqlpitr::storage
