#include "commands/restore_locks.hpp"

#include <algorithm>

#include "catalog/naming.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {

std::string restore_lock_name(const std::string& database) { return mysql::lock_name("mysqlpitr.restore.", database); }

void RestoreLocks::read_folder(const std::string& folder, const std::string& scope) {
  if (dry_run_ || folder.empty() || !io::stat_entry(folder)) return;
  if (!io::directory_writable(folder)) {
    context_.console().detail(fmt::format("{}: read-only here, so not locked against prune", folder));
    return;
  }
  folders_.push_back(io::RunLock::share(folder, scope, command_));
}

void RestoreLocks::read_dump(const std::string& file) {
  const auto& settings = context_.settings();
  if (file.empty()) return read_folder(settings.paths.historical.value, catalog::read_lock_scope(catalog::BackupKind::historical));
  bool schema = catalog::parse_schema_name(io::base_name(file), settings.backup.date_format.value).has_value();
  read_folder(io::parent_path(file),
              catalog::read_lock_scope(schema ? catalog::BackupKind::schema : catalog::BackupKind::historical));
}

void RestoreLocks::databases(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (!server_) server_.emplace(context_.connect());
  for (const auto& database : names) {
    if (database.empty()) continue;
    std::string name = restore_lock_name(database);
    if (std::find(server_->held().begin(), server_->held().end(), name) != server_->held().end()) continue;
    if (dry_run_) {
      if (auto holder = server_->holder(name))
        context_.console().warning(fmt::format("database {} is being restored by another run (server lock {} held by {}): "
                                               "a real {} now would exit 5",
                                               database, name, *holder, command_));
      continue;
    }
    if (auto holder = server_->try_take(name))
      throw precondition_error("database {} is being restored by another run (server lock {} held by {}); "
                               "nothing was changed: wait for that run to end",
                               database, name, *holder);
  }
}

}  // namespace mysqlpitr::commands
