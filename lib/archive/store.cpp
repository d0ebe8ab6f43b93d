#include "archive/store.hpp"

#include "archive/folder_storage.hpp"
#include "archive/manifest.hpp"
#include "binlog/name.hpp"
#include "catalog/inventory.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"

namespace mysqlpitr::archive {

std::vector<ArchivedBinlog> scan_archived_binlogs(const std::string& folder) {
  std::vector<ArchivedBinlog> binlogs;
  auto archive = open_archive(folder);
  if (!archive) return binlogs;
  // The folder's own files only: what is set aside lives in a subfolder.
  for (const auto& object : archive->list(""))
    if (object.key.find('/') == std::string::npos && binlog::parse_binlog_name(object.key))
      binlogs.push_back({object.key, archive->describe(object.key), object.size, object.mtime});
  return binlogs;
}

void refuse_replaced_encrypted(const std::string& folder, const std::vector<std::string>& names) {
  std::shared_ptr<storage::Storage> archive = open_archive(folder);
  if (!archive) return;
  Manifest manifest = Manifest::load(folder);
  for (const auto& name : names) {
    const VerifiedCopy* record = manifest.find(name);
    if (!record || !record->encrypted()) continue;
    auto object = archive->stat(name);
    if (!object) continue;
    std::string path = archive->describe(name);
    auto bytes = storage::open_random(archive, name, object->size);
    if (!crypto::read_header_of(*bytes, path))
      throw failure("{}: the archive's record says it was written encrypted (key {}), but it holds no encryption "
                    "header: it was replaced or altered since; nothing was changed",
                    path, record->key_id);
    if (object->size != record->size)
      throw failure("{}: {} bytes, but the encrypted copy the archive's record names has {}: it was cut, extended or "
                    "replaced since; nothing was changed",
                    path, object->size, record->size);
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
  auto archive = open_archive(folder);
  if (!archive) return outcome;
  Manifest manifest = Manifest::load(folder);
  for (const auto& decision : decisions) {
    if (!decision.remove) continue;
    try {
      archive->remove(decision.binlog.name);
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
