#include "archive/store.hpp"

#include "archive/manifest.hpp"
#include "binlog/name.hpp"
#include "catalog/inventory.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"
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

void refuse_replaced_encrypted(const std::string& folder, const std::vector<std::string>& names) {
  if (folder.empty() || !io::stat_entry(folder)) return;
  Manifest manifest = Manifest::load(folder);
  for (const auto& name : names) {
    const VerifiedCopy* record = manifest.find(name);
    if (!record || !record->encrypted()) continue;
    std::string path = io::join_path(folder, name);
    auto entry = io::stat_entry(path);
    if (!entry) continue;
    if (!crypto::read_header_of(path))
      throw failure("{}: the archive's record says it was written encrypted (key {}), but it holds no encryption "
                    "header: it was replaced or altered since; nothing was changed",
                    path, record->key_id);
    if (entry->size != record->size)
      throw failure("{}: {} bytes, but the encrypted copy the archive's record names has {}: it was cut, extended or "
                    "replaced since; nothing was changed",
                    path, entry->size, record->size);
  }
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
