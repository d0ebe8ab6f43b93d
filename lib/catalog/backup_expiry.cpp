#include "catalog/backup_expiry.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/time.hpp"

namespace mysqlpitr::catalog {
namespace {

std::string owner_of(const BackupEntry& entry) {
  return entry.database.empty() ? std::string(kind_name(entry.kind)) : entry.database;
}

void decide_by_age(RetentionDecision& decision, const RetentionRule& rule, std::time_t cutoff) {
  const BackupEntry& entry = decision.entry;
  decision.remove = entry.time < cutoff;
  decision.reason = decision.remove ? fmt::format("{} is older than {} days ({})", core::format_datetime(entry.time),
                                                  rule.older_than_days,
                                                  entry.time_from_name ? "date in name" : "modification time")
                                    : fmt::format("younger than {} days", rule.older_than_days);
}

// One group (a kind and a database), newest first.
void decide_group(std::vector<RetentionDecision>& group, const RetentionRule& rule, std::time_t cutoff,
                  const BackupCheck& check) {
  // The check costs a read of the file: it is only needed when something of the group can go.
  bool checking = check && std::any_of(group.begin(), group.end(), [&](auto& d) { return d.entry.time < cutoff; });
  long long kept = 0;
  for (auto& decision : group) {
    if (kept < rule.keep_last && checking) decision.problem = check(decision.entry);
    if (kept < rule.keep_last && decision.problem.empty()) {
      decision.reason = kept == 0 ? fmt::format("newest of {}", owner_of(decision.entry))
                                  : fmt::format("one of the newest {} of {}", rule.keep_last, owner_of(decision.entry));
      ++kept;
      continue;
    }
    decide_by_age(decision, rule, cutoff);
    if (!decision.problem.empty()) decision.reason += "; broken: " + decision.problem;
  }
  if (kept > 0 || !checking) return;
  for (long long i = 0; i < rule.keep_last && i < static_cast<long long>(group.size()); ++i) {
    group[static_cast<size_t>(i)].remove = false;
    group[static_cast<size_t>(i)].reason =
        fmt::format("no backup of {} passed verification: its newest {} kept anyway", owner_of(group[0].entry),
                    rule.keep_last);
  }
}

}  // namespace

std::vector<RetentionDecision> decide_retention(std::vector<BackupEntry> entries, const RetentionRule& rule,
                                                const BackupCheck& check) {
  sort_newest_first(entries);
  std::time_t cutoff = rule.now - static_cast<std::time_t>(rule.older_than_days) * 86400;
  std::map<std::pair<int, std::string>, std::vector<size_t>> groups;  // (kind, database) -> indexes, newest first
  std::vector<RetentionDecision> decisions;
  for (auto& entry : entries) {
    groups[{static_cast<int>(entry.kind), entry.database}].push_back(decisions.size());
    decisions.push_back({std::move(entry), false, "", ""});
  }
  for (auto& [key, indexes] : groups) {
    std::vector<RetentionDecision> group;
    for (size_t index : indexes) group.push_back(std::move(decisions[index]));
    decide_group(group, rule, cutoff, check);
    for (size_t i = 0; i < indexes.size(); ++i) decisions[indexes[i]] = std::move(group[i]);
  }
  return decisions;
}

}  // namespace mysqlpitr::catalog
