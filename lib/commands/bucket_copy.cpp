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

void download_checked(storage::Storage& bucket, storage::Storage& local, const std::string& name) {
  auto record = catalog::read_record(bucket, name);
  if (!record || !record->contains("sha256") || !record->contains("size"))
    throw failure("{}: no mysqlpitr record (an upload never finished, or a file not written by mysqlpitr)",
                  bucket.describe(name));
  std::unique_ptr<storage::Writer> writer;
  storage::Published got = copy_object(bucket, local, name, writer);
  if (got.size != record->value("size", 0ULL) || got.sha256 != record->value("sha256", ""))
    throw failure("{}: read {} bytes with SHA-256 {}, its record says {} bytes and {}", bucket.describe(name), got.size,
                  got.sha256, record->value("size", 0ULL), record->value("sha256", ""));
  writer->publish();
}

}  // namespace mysqlpitr::commands
