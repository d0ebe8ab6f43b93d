#include "io/input_stream.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {

std::unique_ptr<io::InputStream> open_input(Storage& storage, const std::string& key, io::Sha256* raw_digest) {
  return io::open_input(storage.open(key), storage.describe(key), raw_digest);
}

}  // namespace mysqlpitr::storage
