#pragma once
// Which backups a prune deletes: a pure function of the inventory and the rule, so that it can be
// tested on made-up inventories and printed as a plan before anything is touched.
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "catalog/inventory.hpp"

namespace mysqlpitr::catalog {

struct RetentionRule {
  std::time_t now = 0;
  long long older_than_days = 0;
  long long keep_last = 1;  // the newest N good ones of each database (of each kind) are always kept
};

// Why an entry is no good backup (empty when it is): the caller's verification. Asked only where
// the decision depends on it, newest first within each group.
using BackupCheck = std::function<std::string(const BackupEntry&)>;

struct RetentionDecision {
  BackupEntry entry;
  bool remove = false;
  std::string reason;   // why it is deleted or kept
  std::string problem;  // why it failed the check: it never counts as one of the newest kept
};

// Decisions for every entry, in the inventory's order (newest first within each group). With a
// check, the newest N of a group are the newest N that pass it: a broken newer file (the 20-byte
// gzip a failed `mysqldump | gzip` leaves) never protects itself at the cost of the last good
// one; it is deleted or kept by age alone. When no file of a group passes, its newest N are kept
// anyway: prune never deletes a database's last backups for being broken.
std::vector<RetentionDecision> decide_retention(std::vector<BackupEntry> entries, const RetentionRule& rule,
                                                const BackupCheck& check = {});

}  // namespace mysqlpitr::catalog
