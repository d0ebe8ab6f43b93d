#pragma once
// What the MongoDB commands share: the connection from [mongo], the backup folders of
// mongo.backup_dir, and the per-folder details `list mongo` shows.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/inventory.hpp"
#include "config/settings.hpp"
#include "mongo/client.hpp"

namespace mysqlpitr::commands {

mongo::ConnectionSettings mongo_connection(const config::Settings& settings);

// backup_<date>/ folders of mongo.backup_dir, newest first.
std::vector<catalog::BackupEntry> mongo_backups(const config::Settings& settings);

// {"databases": [{"name", "collections", "size"}...], "collections": N} of one backup folder,
// from its listing alone (for `list mongo`).
nlohmann::json mongo_folder_details(const std::string& folder);

}  // namespace mysqlpitr::commands
