#pragma once
// The archive folder as rotation and prune see it: its binlogs, the PITR bases that constrain
// retention, and carrying out a retention decision.
#include <string>
#include <vector>

#include "archive/binlog_expiry.hpp"

namespace mysqlpitr::archive {

// Regular files named like binlogs in the archive folder (links and temporary copies excluded).
std::vector<ArchivedBinlog> scan_archived_binlogs(const std::string& folder);

// Refuses (exit 1, naming the file) a binlog of `names` in `folder` that the archive's record says
// was written encrypted but that holds no encryption header now (a plain file put in an encrypted
// one's place, which would otherwise be replayed unauthenticated), or not the size recorded.
void refuse_replaced_encrypted(const std::string& folder, const std::vector<std::string>& names);

// The PITR bases of `folder` with the coordinates in their headers (a missing folder: none).
std::vector<PitrBase> scan_pitr_bases(const std::string& folder, crypto::KeyRing* keys);

struct RetentionOutcome {
  std::vector<ArchivedBinlog> deleted;
  std::vector<std::string> errors;
};

// Deletes the files the decisions remove (never through a link) and drops them from the record
// of verified copies. The caller holds the archive's run lock.
RetentionOutcome apply_binlog_retention(const std::string& folder, const std::vector<BinlogDecision>& decisions);

}  // namespace mysqlpitr::archive
