#include "io/sha256.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {

std::string read_whole(Storage& storage, const std::string& key) {
  auto reader = storage.open(key);
  std::string text;
  char buffer[16384];
  while (size_t n = reader->read(buffer, sizeof buffer)) text.append(buffer, n);
  return text;
}

Published write_whole(Storage& storage, const std::string& key, std::string_view text) {
  auto writer = storage.create(key);
  writer->write(text);
  return writer->publish();
}

Published digest_object(Storage& storage, const std::string& key) {
  auto reader = storage.open(key);
  io::Sha256 digest;
  Published read;
  std::string buffer(1 << 20, '\0');
  while (size_t n = reader->read(buffer.data(), buffer.size())) {
    digest.update(std::string_view(buffer.data(), n));
    read.size += n;
  }
  read.sha256 = digest.hex_digest();
  return read;
}

void copy_into(Storage& from, const std::string& key, Writer& writer) {
  auto reader = from.open(key);
  std::string buffer(1 << 20, '\0');
  while (size_t n = reader->read(buffer.data(), buffer.size())) writer.write(std::string_view(buffer.data(), n));
}

}  // namespace mysqlpitr::storage
