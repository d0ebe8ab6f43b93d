#include "commands/bucket_copy.hpp"

#include "catalog/bucket_record.hpp"

namespace mysqlpitr::commands {

void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    const nlohmann::json& record) {
  auto reader = local.open(name);
  auto writer = bucket.create(name);
  std::string buffer(1 << 20, '\0');
  while (size_t n = reader->read(buffer.data(), buffer.size())) writer->write(std::string_view(buffer.data(), n));
  catalog::publish_recorded(bucket, name, record, [&] { return writer->publish(); });
}

}  // namespace mysqlpitr::commands
