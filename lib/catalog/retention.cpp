#include "catalog/retention.hpp"

#include <map>

#include <fmt/format.h>

#include "core/time.hpp"

namespace mysqlpitr::catalog {

std::vector<RetentionDecision> decide_retention(std::vector<BackupEntry> entries, const RetentionRule& rule) {
  sort_newest_first(entries);
  std::time_t cutoff = rule.now - static_cast<std::time_t>(rule.older_than_days) * 86400;
  std::map<std::pair<int, std::string>, long long> seen;  // (kind, database) -> newer ones so far
  std::vector<RetentionDecision> decisions;
  for (auto& entry : entries) {
    long long rank = seen[{static_cast<int>(entry.kind), entry.database}]++;
    RetentionDecision decision{entry, false, ""};
    std::string owner = entry.database.empty() ? std::string(kind_name(entry.kind)) : entry.database;
    if (rank < rule.keep_last) {
      decision.reason = rank == 0 ? fmt::format("newest of {}", owner)
                                  : fmt::format("one of the newest {} of {}", rule.keep_last, owner);
    } else if (entry.time >= cutoff) {
      decision.reason = fmt::format("younger than {} days", rule.older_than_days);
    } else {
      decision.remove = true;
      decision.reason = fmt::format("{} is older than {} days ({})", core::format_datetime(entry.time),
                                    rule.older_than_days, entry.time_from_name ? "date in name" : "modification time");
    }
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

}  // namespace mysqlpitr::catalog
