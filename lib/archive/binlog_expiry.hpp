#pragma once
// Which archived binlogs a prune deletes: a pure function of the archive's binlogs, the PITR bases
// (with the coordinates their headers record) and the rule, so that it is unit-tested and shown as
// a plan, each file with the reason it is deleted or kept.
//
// Kept, whatever their age: every binlog a PITR base still needs (the file its coordinates name
// and every later one; with no readable coordinates in a base, every binlog), the newest
// `keep_last` of each name prefix, and anything later than a kept file (the archive is only ever
// trimmed from its oldest end, so no pruning leaves a hole in the sequence).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "catalog/coordinates.hpp"

namespace mysqlpitr::archive {

struct ArchivedBinlog {
  std::string name;
  std::string path;
  unsigned long long size = 0;
  std::time_t mtime = 0;  // when the server closed it (copies keep the source's time)
};

struct PitrBase {
  std::string path;
  std::time_t mtime = 0;
  std::optional<catalog::BinlogCoordinates> coordinates;
};

struct BinlogRetentionRule {
  std::time_t now = 0;
  long long older_than_days = 7;
  long long keep_last = 1;  // at least 1: the newest is never deleted
};

struct BinlogDecision {
  ArchivedBinlog binlog;
  bool remove = false;
  std::string reason;
};

// Decisions for every binlog, oldest first. Names that are not binlog names are not considered.
std::vector<BinlogDecision> decide_binlog_retention(std::vector<ArchivedBinlog> binlogs, const std::vector<PitrBase>& bases,
                                                    const BinlogRetentionRule& rule);

}  // namespace mysqlpitr::archive
