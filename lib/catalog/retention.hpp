#pragma once
// Which backups a prune deletes: a pure function of the inventory and the rule, so that it can be
// tested on made-up inventories and printed as a plan before anything is touched.
#include <ctime>
#include <string>
#include <vector>

#include "catalog/inventory.hpp"

namespace mysqlpitr::catalog {

struct RetentionRule {
  std::time_t now = 0;
  long long older_than_days = 0;
  long long keep_last = 1;  // the newest N of each database (of each kind) are always kept
};

struct RetentionDecision {
  BackupEntry entry;
  bool remove = false;
  std::string reason;  // why it is deleted or kept
};

// Decisions for every entry, in the inventory's order (newest first within each group).
std::vector<RetentionDecision> decide_retention(std::vector<BackupEntry> entries, const RetentionRule& rule);

}  // namespace mysqlpitr::catalog
