#include "commands/mongo_common.hpp"

#include "mongo/verify.hpp"

namespace mysqlpitr::commands {

mongo::ConnectionSettings mongo_connection(const config::Settings& settings) {
  const auto& m = settings.mongo;
  mongo::ConnectionSettings connection;
  connection.uri = m.uri.value;
  connection.host = m.host.value;
  connection.port = static_cast<int>(m.port.value);
  connection.user = m.user.value;
  connection.password = m.password.value;  // password_file already resolved by the loader
  connection.auth_db = m.auth_db.value;
  connection.tls = m.tls.value;
  connection.tls_ca_file = m.tls_ca_file.value;
  connection.tls_certificate_key_file = m.tls_certificate_key_file.value;
  connection.tls_allow_invalid_certificates = m.tls_allow_invalid_certificates.value;
  connection.app_name = std::string("mysqlpitr ") + MYSQLPITR_VERSION;
  return connection;
}

std::vector<catalog::BackupEntry> mongo_backups(const config::Settings& settings) {
  auto inventory = catalog::scan_folder(settings.mongo.backup_dir.value, catalog::BackupKind::mongo,
                                        settings.backup.date_format.value);
  catalog::sort_newest_first(inventory.backups);
  return inventory.backups;
}

nlohmann::json mongo_folder_details(const std::string& folder) {
  nlohmann::json details = {{"databases", nlohmann::json::array()}, {"collections", 0}};
  std::size_t collections = 0;
  for (const auto& database : mongo::summarize_dump_folder(folder)) {
    details["databases"].push_back(
        {{"name", database.name}, {"collections", database.collections}, {"size", database.bytes}});
    collections += database.collections;
  }
  details["collections"] = collections;
  return details;
}

}  // namespace mysqlpitr::commands
