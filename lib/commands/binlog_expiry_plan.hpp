#pragma once
// Binlog retention as prune and rotate-binlogs both show and apply it: the archive's binlogs
// against the PITR bases' coordinates (archive::decide_binlog_retention), printed with the reason
// for every file, deleted only from the archive folder.
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/binlog_expiry.hpp"
#include "config/settings.hpp"

namespace mysqlpitr::commands {

struct BinlogRetentionPlan {
  std::string folder;  // paths.binlog_archive
  std::vector<archive::BinlogDecision> decisions;
  std::vector<std::string> notes;  // for the operator: no bases found, and the like
  bool any_removal() const;
};

// Every PITR base a binlog may be needed by: the local folder's and, in modes s3 and both, the
// bucket's.
std::vector<archive::PitrBase> every_pitr_base(const config::Settings& settings, crypto::KeyRing* keys);

// Reads the archive and the PITR bases; changes nothing. The caller checked that the archive is set.
BinlogRetentionPlan plan_binlog_retention(const config::Settings& settings, long long older_than_days, long long keep_last,
                                          std::time_t now, crypto::KeyRing* keys);

// "binlogs in FOLDER: N of M to delete" then every deletion and every kept file (runs of files
// kept for the same reason on one line).
std::string binlog_retention_text(const BinlogRetentionPlan& plan);

nlohmann::json binlog_retention_json(const BinlogRetentionPlan& plan);

}  // namespace mysqlpitr::commands
