#include "archive/store.hpp"

#include "binlog/name.hpp"
#include "archive/manifest.hpp"
#include "catalog/inventory.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"

namespace mysqlpitr::archive {

std::vector<ArchivedBinlog> scan_archived_binlogs(const std::string& folder) {
  std::vector<ArchivedBinlog> binlogs;
  if (!io::stat_entry(folder)) return binlogs;
  for (const auto& entry : io::list_directory(folder))
    if (entry.type == io::EntryType::regular && binlog::parse_binlog_name(entry.name))
      binlogs.push_back({entry.name, entry.path, entry.size, entry.mtime});
  return binlogs;
}

std::vector<PitrBase> scan_pitr_bases(const std::string& folder, crypto::KeyRing* keys) {
  std::vector<PitrBase> bases;
  auto inventory = catalog::scan_folder(folder, catalog::BackupKind::pitr_base, "%Y-%m-%d_%H-%M", true, keys);
  for (const auto& entry : inventory.backups) bases.push_back({entry.path, entry.mtime, entry.coordinates});
  return bases;
}

RetentionOutcome apply_binlog_retention(const std::string& folder, const std::vector<BinlogDecision>& decisions) {
  RetentionOutcome outcome;
  Manifest manifest = Manifest::load(folder);
  for (const auto& decision : decisions) {
    if (!decision.remove) continue;
    try {
      io::remove_file_in(folder, decision.binlog.name);
      manifest.forget(decision.binlog.name);
      outcome.deleted.push_back(decision.binlog);
    } catch (const Error& error) {
      outcome.errors.push_back(error.what());
    }
  }
  if (!outcome.deleted.empty()) manifest.save();
  return outcome;
}

}  // namespace mysqlpitr::archive
