#include "commands/restore_locks.hpp"

#include "catalog/naming.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {

std::string restore_lock_name(const std::string& database) { return mysql::lock_name("mysqlpitr.restore.", database); }

LockDeclaration read_lock(const std::string& folder, const std::string& scope) {
  LockDeclaration lock{folder, scope, true, ""};
  lock.skip_read_only = true;
  return lock;
}

LockDeclaration read_dump_lock(const config::Settings& settings, const std::string& file) {
  if (file.empty()) return read_lock(settings.paths.historical.value, catalog::read_lock_scope(catalog::BackupKind::historical));
  bool schema = catalog::parse_schema_name(io::base_name(file), settings.backup.date_format.value).has_value();
  auto kind = schema ? catalog::BackupKind::schema : catalog::BackupKind::historical;
  // prune of the bucket holds the lock of the kind's local folder (commands/prune.cpp): a dump read
  // from the bucket is guarded there.
  std::string folder = !file.starts_with("s3://") ? io::parent_path(file)
                       : schema                   ? settings.paths.schema.value
                                                  : settings.paths.historical.value;
  return read_lock(folder, catalog::read_lock_scope(kind));
}

LockDeclaration database_lock(const std::string& database) {
  LockDeclaration lock;
  lock.database = database;
  return lock;
}

}  // namespace mysqlpitr::commands
