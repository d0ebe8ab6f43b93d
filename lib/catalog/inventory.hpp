#pragma once
// What is on disk: the backups in the configured folders, by kind, newest first.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "catalog/coordinates.hpp"
#include "catalog/naming.hpp"

namespace mysqlpitr::catalog {

struct BackupEntry {
  BackupKind kind = BackupKind::historical;
  std::string database;   // the real name (decoded from the file name); empty for schema and mongo
  std::string date_text;  // the date as written in the name; empty for PITR bases
  std::string name;
  std::string folder;
  std::string path;
  unsigned long long size = 0;   // a folder's size is the sum of its files
  std::time_t time = 0;          // from the name's date, else the modification time
  bool time_from_name = false;
  std::time_t mtime = 0;
  std::optional<BinlogCoordinates> coordinates;  // PITR bases only
  bool encrypted = false;  // named with ".enc" (crypto/): reading it needs its key
};

// A name of the kind that will not be used, with the reason (a symbolic link, for one).
struct SkippedEntry {
  std::string path;
  std::string reason;
};

struct Inventory {
  std::vector<BackupEntry> backups;
  std::vector<SkippedEntry> skipped;
  // Temporary files (folders for MongoDB) of this kind that a killed run left behind. Only a run
  // holding the kind's lock may remove them: then no run of the kind can be writing them.
  std::vector<BackupEntry> unfinished;
};

// Lists one folder for one kind. A missing folder gives an empty inventory; symbolic links are
// never followed (reported as skipped). `read_coordinates` reads PITR bases' headers (an encrypted
// one with its key from `keys`).
Inventory scan_folder(const std::string& folder, BackupKind kind, const std::string& date_format,
                      bool read_coordinates = false, crypto::KeyRing* keys = nullptr);

// Deletes one entry (a dump file, or a MongoDB dump folder with everything in it) inside its
// folder, never through a symbolic link; throws naming it.
void remove_entry(const BackupEntry& entry);

// Newest first; ties by name so the order is stable.
void sort_newest_first(std::vector<BackupEntry>& entries);

}  // namespace mysqlpitr::catalog
