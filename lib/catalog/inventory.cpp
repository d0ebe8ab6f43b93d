#include "catalog/inventory.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "crypto/open_input.hpp"
#include "io/files.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::catalog {
namespace {

std::optional<ParsedName> parse_for_kind(const std::string& name, BackupKind kind, const std::string& date_format) {
  switch (kind) {
    case BackupKind::historical: return parse_historical_name(name, date_format);
    case BackupKind::schema: return parse_schema_name(name, date_format);
    case BackupKind::pitr_base: return parse_pitr_base_name(name);
    case BackupKind::mongo: return parse_mongo_folder_name(name, date_format);
  }
  return std::nullopt;
}

unsigned long long tree_size(storage::Storage& folder, const std::string& key) {
  unsigned long long total = 0;
  for (const auto& object : folder.list(key + "/")) total += object.size;
  return total;
}

std::string why_skipped(const storage::LevelEntry& item, bool want_folder) {
  if (item.kind == storage::LevelEntry::Kind::link) return "symbolic link (never followed)";
  return want_folder ? "not a folder" : "not a regular file";
}

}  // namespace

void remove_entry(const BackupEntry& entry) {
  auto folder = storage::open_posix(entry.folder);
  if (entry.kind == BackupKind::mongo) folder->remove_folder(entry.name);
  else folder->remove(entry.name);
}

void sort_newest_first(std::vector<BackupEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const BackupEntry& a, const BackupEntry& b) {
    if (a.time != b.time) return a.time > b.time;
    return a.name > b.name;
  });
}

Inventory scan_folder(const std::string& folder, BackupKind kind, const std::string& date_format,
                      bool read_coordinates, crypto::KeyRing* keys) {
  Inventory inventory;
  if (folder.empty() || !io::stat_entry(folder)) return inventory;
  auto storage = storage::open_posix(folder);
  bool want_folder = kind == BackupKind::mongo;
  for (const auto& item : storage::entries_of(storage->list_level(""))) {
    const std::string& name = item.key;
    bool right_type = item.kind == (want_folder ? storage::LevelEntry::Kind::folder : storage::LevelEntry::Kind::object);
    std::string path = storage->describe(name);
    if (auto target = unfinished_target(name)) {
      if (right_type && parse_for_kind(*target, kind, date_format)) {
        BackupEntry entry;
        entry.kind = kind;
        entry.name = name;
        entry.folder = folder;
        entry.path = path;
        // A partial folder may be renamed by its (running) writer while it is walked: its size is
        // only for messages, and a listing must not fail over it.
        try {
          entry.size = want_folder ? tree_size(*storage, name) : item.size;
        } catch (const Error&) {
          entry.size = 0;
        }
        entry.time = entry.mtime = item.mtime;
        inventory.unfinished.push_back(std::move(entry));
      }
      continue;
    }
    auto parsed = parse_for_kind(name, kind, date_format);
    if (!parsed) continue;
    if (!right_type) {
      inventory.skipped.push_back({path, why_skipped(item, want_folder)});
      continue;
    }
    BackupEntry entry;
    entry.kind = kind;
    entry.database = parsed->database;
    entry.date_text = parsed->date_text;
    entry.encrypted = parsed->encrypted;
    entry.name = name;
    entry.folder = folder;
    entry.path = path;
    entry.mtime = item.mtime;
    entry.size = want_folder ? with_context(path, [&] { return tree_size(*storage, name); }) : item.size;
    entry.time_from_name = parsed->time.has_value();
    entry.time = parsed->time.value_or(item.mtime);
    if (read_coordinates && kind == BackupKind::pitr_base) {
      try {
        entry.coordinates = read_dump_coordinates(*crypto::open_input(storage->open(name), path, keys));
      } catch (const Error& error) {
        inventory.skipped.push_back({path, std::string("unreadable: ") + error.what()});
      }
    }
    inventory.backups.push_back(std::move(entry));
  }
  sort_newest_first(inventory.backups);
  return inventory;
}

}  // namespace mysqlpitr::catalog
