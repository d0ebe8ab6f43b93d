#pragma once
// What a rotation does to each binlog: a pure function of the server's binlogs, the archive folder's
// entries and the record of verified copies, so that it is unit-tested and printed before anything
// is written.
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include <memory>

#include "archive/manifest.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::archive {

struct SourceBinlog {
  std::string name;
  unsigned long long size = 0;  // of the file in the server's folder
  std::time_t mtime = 0;
};

enum class CopyAction {
  copy,            // missing, torn or different: copy, verify, rename
  compare,         // same size, never verified: compare contents; when they differ, set aside and copy
  keep,            // archived and verified earlier
  skip_active,     // the binlog the server is writing: never archived as if closed
  remove_partial,  // a temporary copy left by an interrupted run
  refuse,          // the archive holds something that is not a regular file under that name
};
const char* action_name(CopyAction action);

struct CopyStep {
  std::string name;  // the binlog's name (for remove_partial: the temporary file's name)
  CopyAction action = CopyAction::copy;
  std::string reason;
  unsigned long long source_size = 0;
  unsigned long long archived_size = 0;
  // The archive holds a file under this name that rotate-binlogs did not verify (or that changed
  // since): it is moved aside (archive/aside.hpp), never replaced, before the copy.
  bool set_aside = false;
};

struct CopyPlanInput {
  std::vector<SourceBinlog> closed;  // the server's closed binlogs, oldest first
  std::string active;                // the binlog the server writes now
  std::vector<storage::LevelEntry> archive;  // the archive folder's own entries (storage::entries_of)
  const Manifest* manifest = nullptr;
  bool recheck = false;  // compare every archived copy with its source, even when verified earlier
  // Archived files encrypted by mysqlpitr: the plain size each holds (from its header), which is
  // what compares with the server's file.
  std::map<std::string, unsigned long long> plain_sizes = {};
};

// The plain sizes of the entries that are binlogs encrypted by mysqlpitr, read from their headers
// (no key needed). A file whose header cannot be read is left out: its stored size then differs
// from the server's file, and it is set aside, never overwritten.
std::map<std::string, unsigned long long> encrypted_plain_sizes(const std::shared_ptr<storage::Storage>& archive,
                                                                const std::vector<storage::LevelEntry>& entries);

// Steps: temporary leftovers first, then every closed binlog oldest first, then the active one.
std::vector<CopyStep> plan_copies(const CopyPlanInput& input);

}  // namespace mysqlpitr::archive
