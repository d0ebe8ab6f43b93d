#pragma once
// `list backups|bases|databases|mongo`: inventories, newest first, with sizes and dates.
#include <string>
#include <vector>

#include "catalog/inventory.hpp"
#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct ListOptions {
  std::string what;      // backups, bases, databases, mongo
  std::string database;  // --db: only this database's backups
};

// `list backups|bases|mongo`: the entries found, newest first, with what each folder scan skipped.
class BackupListing : public Plan {
 public:
  std::string json_key;        // "backups" or "bases"
  bool with_coordinates = false;  // bases: their binlog coordinates instead of the kind
  std::vector<catalog::BackupEntry> entries;
  nlohmann::json items = nlohmann::json::array();  // one per entry (mongo folders with their details)
  nlohmann::json skipped;
  std::vector<std::string> where;  // modes s3/both: per entry "local", "s3" or "both" (commands/bucket_dumps.hpp)

  std::string text() const override;
  nlohmann::json json() const override;
};

// `list databases`: the server's, without mysql.exclude.
class DatabaseListing : public Plan {
 public:
  std::vector<std::string> names;
  std::string text() const override;
  nlohmann::json json() const override { return {{"databases", names}}; }
};

BackupListing plan_list_backups(Context& context, const ListOptions& options);
Command list_command(const ListOptions& options);

}  // namespace mysqlpitr::commands
