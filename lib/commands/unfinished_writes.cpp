#include "commands/unfinished_writes.hpp"

#include "catalog/inventory.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::commands {

std::vector<std::string> remove_unfinished_writes(Context& context, catalog::BackupKind kind,
                                                  const std::string& folder) {
  std::vector<std::string> removed;
  auto inventory = catalog::scan_folder(folder, kind, context.settings().backup.date_format.value);
  for (const auto& entry : inventory.unfinished) {
    try {
      catalog::remove_entry(entry);
      removed.push_back(entry.path);
      context.console().info(fmt::format("removed {} ({}), left by an interrupted run", entry.path,
                                         core::human_size(entry.size)));
    } catch (const Error& error) {
      context.console().warning(error.what());
    }
  }
  return removed;
}

}  // namespace mysqlpitr::commands
