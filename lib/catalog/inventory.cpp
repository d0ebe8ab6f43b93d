#include "catalog/inventory.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"

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

unsigned long long tree_size(const std::string& folder) {
  unsigned long long total = 0;
  for (const auto& entry : io::list_directory(folder)) {
    if (entry.type == io::EntryType::directory) total += tree_size(entry.path);
    else if (entry.type == io::EntryType::regular) total += entry.size;
  }
  return total;
}

}  // namespace

void remove_entry(const BackupEntry& entry) {
  if (entry.kind == BackupKind::mongo) io::remove_tree_in(entry.folder, entry.name);
  else io::remove_file_in(entry.folder, entry.name);
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
  bool want_folder = kind == BackupKind::mongo;
  for (const auto& item : io::list_directory(folder)) {
    if (auto target = unfinished_target(item.name)) {
      bool right_type = want_folder ? item.type == io::EntryType::directory : item.type == io::EntryType::regular;
      if (right_type && parse_for_kind(*target, kind, date_format)) {
        BackupEntry entry;
        entry.kind = kind;
        entry.name = item.name;
        entry.folder = folder;
        entry.path = item.path;
        // A partial folder may be renamed by its (running) writer while it is walked: its size is
        // only for messages, and a listing must not fail over it.
        try {
          entry.size = want_folder ? tree_size(item.path) : item.size;
        } catch (const Error&) {
          entry.size = 0;
        }
        entry.time = entry.mtime = item.mtime;
        inventory.unfinished.push_back(std::move(entry));
      }
      continue;
    }
    auto parsed = parse_for_kind(item.name, kind, date_format);
    if (!parsed) continue;
    if (item.type == io::EntryType::symlink) {
      inventory.skipped.push_back({item.path, "symbolic link (never followed)"});
      continue;
    }
    if (want_folder ? item.type != io::EntryType::directory : item.type != io::EntryType::regular) {
      inventory.skipped.push_back({item.path, want_folder ? "not a folder" : "not a regular file"});
      continue;
    }
    BackupEntry entry;
    entry.kind = kind;
    entry.database = parsed->database;
    entry.date_text = parsed->date_text;
    entry.encrypted = parsed->encrypted;
    entry.name = item.name;
    entry.folder = folder;
    entry.path = item.path;
    entry.mtime = item.mtime;
    entry.size = want_folder ? with_context(item.path, [&] { return tree_size(item.path); }) : item.size;
    entry.time_from_name = parsed->time.has_value();
    entry.time = parsed->time.value_or(item.mtime);
    if (read_coordinates && kind == BackupKind::pitr_base) {
      try {
        entry.coordinates = read_dump_coordinates(item.path, keys);
      } catch (const Error& error) {
        inventory.skipped.push_back({item.path, std::string("unreadable: ") + error.what()});
      }
    }
    inventory.backups.push_back(std::move(entry));
  }
  sort_newest_first(inventory.backups);
  return inventory;
}

}  // namespace mysqlpitr::catalog
