#include "commands/bucket_copy.hpp"

#include "catalog/bucket_record.hpp"

namespace mysqlpitr::commands {

void upload_checked(storage::Storage& local, storage::Storage& bucket, const std::string& name,
                    const nlohmann::json& record) {
  auto writer = bucket.create(name);
  storage::copy_into(local, name, *writer);
  catalog::publish_recorded(bucket, name, record, [&] { return writer->publish(); });
}

}  // namespace mysqlpitr::commands
