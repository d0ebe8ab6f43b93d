#include "commands/list.hpp"

#include "catalog/inventory.hpp"
#include "commands/mongo_common.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "mysql/server_facts.hpp"
#include "ui/table.hpp"

namespace mysqlpitr::commands {
namespace {

// A name as the table shows it: control bytes (a tab, an escape sequence) as C escapes, so a
// hostile database name can neither break the columns nor drive the terminal. JSON has the name.
std::string shown(const std::string& name) {
  std::string out;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (byte < 0x20 || byte == 0x7F) out += fmt::format("\\x{:02x}", byte);
    else out += c;
  }
  return out;
}

nlohmann::json entry_json(const catalog::BackupEntry& entry) {
  nlohmann::json item = {{"kind", catalog::kind_name(entry.kind)},
                         {"database", entry.database},
                         {"path", entry.path},
                         {"size", entry.size},
                         {"time", core::format_datetime(entry.time)},
                         {"time_source", entry.time_from_name ? "name" : "mtime"}};
  if (entry.kind == catalog::BackupKind::mongo) item.update(mongo_folder_details(entry.path));
  if (entry.coordinates) {
    item["coordinates"] = {{"file", entry.coordinates->file}, {"position", entry.coordinates->position}};
    if (!entry.coordinates->gtid.empty()) item["coordinates"]["gtid"] = entry.coordinates->gtid;
  }
  return item;
}

void report_skipped(Context& context, const catalog::Inventory& inventory, nlohmann::json& data) {
  for (const auto& skipped : inventory.skipped) {
    context.console().warning(fmt::format("skipped {}: {}", skipped.path, skipped.reason));
    data["skipped"].push_back({{"path", skipped.path}, {"reason", skipped.reason}});
  }
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
                                          kind == catalog::BackupKind::pitr_base);
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

Report list_backups(Context& context, const ListOptions& options, std::initializer_list<catalog::BackupKind> kinds,
                    const char* json_key) {
  Report report;
  auto inventory = gather(context, kinds, options.database);
  report.data[json_key] = nlohmann::json::array();
  bool with_coordinates = *kinds.begin() == catalog::BackupKind::pitr_base;
  ui::TextTable table(with_coordinates
                          ? std::vector<std::string>{"DATABASE", "TIME", "SIZE", "BINLOG COORDINATES", "PATH"}
                          : std::vector<std::string>{"KIND", "DATABASE", "TIME", "SIZE", "PATH"});
  for (const auto& entry : inventory.backups) {
    report.data[json_key].push_back(entry_json(entry));
    std::string time = core::format_datetime(entry.time) + (entry.time_from_name ? "" : " (mtime)");
    if (with_coordinates) {
      std::string coordinates = entry.coordinates ? fmt::format("{}:{}", entry.coordinates->file, entry.coordinates->position)
                                                  : "MISSING (cannot be used for PITR)";
      table.add({shown(entry.database), time, core::human_size(entry.size), coordinates, shown(entry.path)});
    } else {
      table.add({catalog::kind_name(entry.kind), entry.database.empty() ? "-" : shown(entry.database), time,
                 core::human_size(entry.size), shown(entry.path)});
    }
  }
  report_skipped(context, inventory, report.data);
  context.console().result(table.empty() ? "no backups found" : table.render());
  return report;
}

Report list_databases(Context& context) {
  Report report;
  auto connection = context.connect();
  auto names = mysql::list_databases(connection, context.settings().mysql.exclude.value);
  report.data["databases"] = names;
  context.console().result(core::join(names, "\n"));
  return report;
}

}  // namespace

Report run_list(Context& context, const ListOptions& options) {
  using catalog::BackupKind;
  if (options.what == "backups")
    return list_backups(context, options, {BackupKind::historical, BackupKind::schema}, "backups");
  if (options.what == "bases") return list_backups(context, options, {BackupKind::pitr_base}, "bases");
  if (options.what == "mongo") return list_backups(context, options, {BackupKind::mongo}, "backups");
  if (options.what == "databases") return list_databases(context);
  throw usage_error("list: unknown inventory '{}'", options.what);
}

}  // namespace mysqlpitr::commands
