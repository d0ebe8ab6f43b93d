#include "commands/bucket_copy.hpp"

#include "catalog/bucket_record.hpp"
#include "core/error.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::commands {
namespace {

storage::Published copy_object(storage::Storage& from, storage::Storage& to, const std::string& name,
                               std::unique_ptr<storage::Writer>& writer) {
  auto reader = from.open(name);
  writer = to.create(name);
  std::string buffer(1 << 20, '\0');
  unsigned long long total = 0;
  io::Sha256 digest;
  while (size_t n = reader->read(buffer.data(), buffer.size())) {
    writer->write(std::string_view(buffer.data(), n));
    digest.update(std::string_view(buffer.data(), n));
    total += n;
  }
  return {total, digest.hex_digest()};
}

}  // namespace

void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    unsigned long long size, const std::string& sha256, const nlohmann::json& record) {
  std::unique_ptr<storage::Writer> writer;
  copy_object(local, bucket, name, writer);
  storage::Published published = writer->publish();
  if (published.size != size || published.sha256 != sha256) {
    bucket.remove(name);
    throw failure("{}: uploaded {} bytes with SHA-256 {}, the local copy has {} bytes and {}: removed",
                  bucket.describe(name), published.size, published.sha256, size, sha256);
  }
  catalog::write_record(bucket, name, record);
}

}  // namespace mysqlpitr::commands
