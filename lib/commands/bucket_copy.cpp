#include "commands/bucket_copy.hpp"

#include "catalog/bucket_record.hpp"

namespace mysqlpitr::commands {

void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    unsigned long long size, const std::string& sha256, const nlohmann::json& record) {
  auto reader = local.open(name);
  auto writer = bucket.create(name);
  std::string buffer(1 << 20, '\0');
  while (size_t n = reader->read(buffer.data(), buffer.size())) writer->write(std::string_view(buffer.data(), n));
  nlohmann::json entry = record;
  entry["size"] = size;
  entry["sha256"] = sha256;
  catalog::publish_recorded(bucket, name, entry, [&] { return writer->publish(); });
}

}  // namespace mysqlpitr::commands
