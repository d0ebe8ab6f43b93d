#pragma once
// Which collections a mongo-restore will touch, decided from the dump folder alone (no server),
// so --dry-run can print it. Total restore: every database in the folder except admin, config and
// local; partial: exactly the databases named (system ones included only when named).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mongo/dump_folder.hpp"

namespace mysqlpitr::mongo {

struct RestoreSelection {
  std::vector<std::string> databases;  // empty: total restore
  bool drop = true;                    // drop each collection before restoring it
  bool count_documents = true;         // read every .bson to count documents (and check it)
};

struct RestoreItem {
  std::size_t collection = 0;  // index into RestorePlan::dump.collections
  std::uint64_t documents = 0;
  std::size_t indexes = 0;     // index specifications in the metadata, _id included
  bool drop = true;
};

struct RestorePlan {
  DumpFolder dump;
  bool total = true;
  std::vector<std::string> databases;  // the databases restored, sorted
  std::vector<RestoreItem> items;      // in restore order: by database, then collection

  const DumpCollection& collection_of(const RestoreItem& item) const {
    return dump.collections[item.collection];
  }
  std::uint64_t total_documents() const;
};

// Databases a total restore of `dump` covers (the menu's choices): all but admin/config/local.
std::vector<std::string> restorable_databases(const DumpFolder& dump);

// Throws usage errors for databases not in the folder and a failure listing every bad file of
// the selected databases (nothing is half restored because of a file found bad later).
RestorePlan plan_restore(DumpFolder dump, const RestoreSelection& selection);

}  // namespace mysqlpitr::mongo
