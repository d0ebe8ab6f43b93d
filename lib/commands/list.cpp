#include "commands/list.hpp"

#include "catalog/inventory.hpp"
#include "commands/bucket_dumps.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/mongo_common.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mysql/server_facts.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

// A name as the table shows it (JSON has the name itself).
std::string shown(const std::string& name) { return core::printable(name); }

nlohmann::json entry_json(const catalog::BackupEntry& entry) {
  nlohmann::json item = {{"kind", catalog::kind_name(entry.kind)},
                         {"database", entry.database},
                         {"path", entry.path},
                         {"size", entry.size},
                         {"time", core::format_datetime(entry.time)},
                         {"time_source", entry.time_from_name ? "name" : "mtime"},
                         {"encrypted", entry.encrypted}};
  if (entry.kind == catalog::BackupKind::mongo) item.update(mongo_folder_details(entry.path));
  if (entry.coordinates) {
    item["coordinates"] = {{"file", entry.coordinates->file}, {"position", entry.coordinates->position}};
    if (!entry.coordinates->gtid.empty()) item["coordinates"]["gtid"] = entry.coordinates->gtid;
  }
  return item;
}

catalog::Inventory gather(Context& context, std::initializer_list<catalog::BackupKind> kinds, const std::string& database) {
  const auto& settings = context.settings();
  catalog::Inventory all;
  for (auto kind : kinds) {
    std::string folder = kind == catalog::BackupKind::historical ? settings.paths.historical.value
                         : kind == catalog::BackupKind::schema   ? settings.paths.schema.value
                         : kind == catalog::BackupKind::pitr_base ? settings.paths.pitr_base.value
                                                                  : settings.mongo.backup_dir.value;
    auto inventory = catalog::scan_folder(folder, kind, settings.backup.date_format.value,
                                          kind == catalog::BackupKind::pitr_base, context.key_ring());
    for (auto& entry : inventory.backups) {
      bool excluded = std::any_of(settings.mysql.exclude.value.begin(), settings.mysql.exclude.value.end(),
                                  [&](const std::string& e) { return core::iequals(e, entry.database); });
      if (excluded && !entry.database.empty()) continue;
      if (!database.empty() && entry.database != database) continue;
      all.backups.push_back(std::move(entry));
    }
    all.skipped.insert(all.skipped.end(), inventory.skipped.begin(), inventory.skipped.end());
  }
  catalog::sort_newest_first(all.backups);
  return all;
}

}  // namespace

BackupListing plan_list_backups(Context& context, const ListOptions& options) {
  using catalog::BackupKind;
  BackupListing listing;
  listing.json_key = options.what == "bases" ? "bases" : "backups";
  listing.with_coordinates = options.what == "bases";
  catalog::Inventory inventory;
  if (options.what == "backups") inventory = gather(context, {BackupKind::historical, BackupKind::schema}, options.database);
  else if (options.what == "bases") inventory = gather(context, {BackupKind::pitr_base}, options.database);
  else if (options.what == "mongo") inventory = gather(context, {BackupKind::mongo}, options.database);
  else throw usage_error("list: unknown inventory '{}'", options.what);
  listing.entries = std::move(inventory.backups);
  for (const auto& entry : listing.entries) listing.items.push_back(entry_json(entry));
  if (options.what == "mongo") {
    add_bucket_mongo_listing(context.settings(), listing.entries, listing.items);
    // With a bucket every item says where it is: the text's WHERE column, as for SQL dumps.
    if (uses_bucket(repository_mode(context.settings())))
      for (const auto& item : listing.items) listing.where.push_back(item.value("where", "local"));
  }
  if (options.what == "backups") add_bucket_backups(context, options.database, listing);
  if (options.what == "bases") add_bucket_bases(context.settings(), options.database, listing);
  for (const auto& skipped : inventory.skipped) {
    context.console().warning(fmt::format("skipped {}: {}", skipped.path, skipped.reason));
    listing.skipped.push_back({{"path", skipped.path}, {"reason", skipped.reason}});
  }
  return listing;
}

nlohmann::json BackupListing::json() const {
  nlohmann::json data = {{json_key, items}};
  if (!skipped.is_null()) data["skipped"] = skipped;
  return data;
}

std::string BackupListing::text() const {
  const std::string path_column = where.empty() ? "PATH" : "WHERE  PATH";
  ui::TextTable table(with_coordinates
                          ? std::vector<std::string>{"DATABASE", "TIME", "SIZE", "BINLOG COORDINATES", path_column}
                          : std::vector<std::string>{"KIND", "DATABASE", "TIME", "SIZE", path_column});
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    std::string time = core::format_datetime(entry.time) + (entry.time_from_name ? "" : " (mtime)");
    std::string size = core::human_size(entry.size) + (entry.encrypted ? " encrypted" : "");
    std::string path = where.empty() ? shown(entry.path) : fmt::format("{:<5}  {}", where[i], shown(entry.path));
    if (with_coordinates) {
      // An encrypted base's coordinates are inside the encrypted bytes: without its key they are
      // not missing, only unread.
      std::string coordinates = entry.coordinates ? fmt::format("{}:{}", entry.coordinates->file, entry.coordinates->position)
                                : entry.encrypted ? "unread (encrypted: configure its key)"
                                                  : "MISSING (cannot be used for PITR)";
      table.add({shown(entry.database), time, size, coordinates, path});
    } else {
      table.add({catalog::kind_name(entry.kind), entry.database.empty() ? "-" : shown(entry.database), time,
                 size, path});
    }
  }
  return table.empty() ? "no backups found" : table.render();
}

std::string DatabaseListing::text() const { return core::join(names, "\n"); }

Command list_command(const ListOptions& options) {
  if (options.what == "databases")
    return make_listing<DatabaseListing>("list databases", [](Context& context) {
      auto connection = context.connect();
      DatabaseListing listing;
      listing.names = mysql::list_databases(connection, context.settings().mysql.exclude.value);
      return listing;
    });
  return make_listing<BackupListing>("list " + options.what,
                                     [options](Context& context) { return plan_list_backups(context, options); });
}

}  // namespace mysqlpitr::commands
