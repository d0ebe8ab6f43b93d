#include "archive/binlog_expiry.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "binlog/name.hpp"
#include "core/time.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {
namespace {

// What the bases need: per prefix, the earliest file named by any base's coordinates.
struct Need {
  unsigned long long number = 0;
  std::string base;  // the base that needs it, for the reason text
  std::string file;
};

struct Needs {
  std::map<std::string, Need> by_prefix;
  std::time_t earliest_time = 0;  // for binlogs of another prefix: needed when closed at or after it
  std::string earliest_base;
  std::string base_without_coordinates;  // set: every binlog is kept
};

Needs needs_of(const std::vector<PitrBase>& bases, const std::vector<ArchivedBinlog>& binlogs) {
  Needs needs;
  for (const auto& base : bases) {
    std::string shown = io::base_name(base.path);
    auto parsed = base.coordinates ? binlog::parse_binlog_name(base.coordinates->file) : std::nullopt;
    if (!parsed) {
      if (needs.base_without_coordinates.empty()) needs.base_without_coordinates = shown;
      continue;
    }
    auto [it, inserted] = needs.by_prefix.try_emplace(parsed->prefix, Need{parsed->sequence, shown, base.coordinates->file});
    if (!inserted && parsed->sequence < it->second.number) it->second = Need{parsed->sequence, shown, base.coordinates->file};
    // A binlog under another prefix (log_bin_basename changed) is ordered by time: needed when
    // the server closed it after the first file this base needs was started, or, when that file
    // is not archived, after the base was written.
    std::time_t from = base.mtime;
    for (const auto& binlog : binlogs)
      if (binlog.name == base.coordinates->file) from = binlog.mtime;
    if (needs.earliest_base.empty() || from < needs.earliest_time) {
      needs.earliest_time = from;
      needs.earliest_base = shown;
    }
  }
  return needs;
}

std::optional<std::string> needed_by(const ArchivedBinlog& binlog, const binlog::BinlogName& name, const Needs& needs) {
  if (!needs.base_without_coordinates.empty())
    return fmt::format("PITR base {} records no binlog coordinates, so every binlog is kept", needs.base_without_coordinates);
  auto need = needs.by_prefix.find(name.prefix);
  if (need != needs.by_prefix.end()) {
    if (name.sequence >= need->second.number)
      return fmt::format("needed by PITR base {} (it starts in {})", need->second.base, need->second.file);
    return std::nullopt;
  }
  if (!needs.earliest_base.empty() && binlog.mtime >= needs.earliest_time)
    return fmt::format("may be needed by PITR base {} (closed after that base's start; other name prefix)",
                       needs.earliest_base);
  return std::nullopt;
}

}  // namespace

std::vector<BinlogDecision> decide_binlog_retention(std::vector<ArchivedBinlog> binlogs, const std::vector<PitrBase>& bases,
                                                    const BinlogRetentionRule& rule) {
  std::erase_if(binlogs, [](const ArchivedBinlog& binlog) { return !binlog::parse_binlog_name(binlog.name); });
  std::sort(binlogs.begin(), binlogs.end(),
            [](const ArchivedBinlog& a, const ArchivedBinlog& b) { return binlog::binlog_name_less(a.name, b.name); });
  Needs needs = needs_of(bases, binlogs);
  long long keep_last = std::max(1LL, rule.keep_last);
  std::time_t cutoff = rule.now - static_cast<std::time_t>(rule.older_than_days) * 86400;

  std::map<std::string, long long> count;  // per prefix
  for (const auto& binlog : binlogs) ++count[binlog::parse_binlog_name(binlog.name)->prefix];
  std::map<std::string, long long> position;
  std::map<std::string, std::string> first_kept;  // per prefix
  std::vector<BinlogDecision> decisions;
  for (const auto& binlog : binlogs) {
    binlog::BinlogName name = *binlog::parse_binlog_name(binlog.name);
    long long from_end = count[name.prefix] - position[name.prefix]++;  // 1 for the newest
    BinlogDecision decision{binlog, false, ""};
    if (auto why = needed_by(binlog, name, needs)) {
      decision.reason = *why;
    } else if (from_end <= keep_last) {
      decision.reason = from_end == 1 ? "newest archived binlog" : fmt::format("one of the newest {} archived binlogs", keep_last);
    } else if (auto kept = first_kept.find(name.prefix); kept != first_kept.end()) {
      decision.reason = fmt::format("follows {}, which is kept (the archive is only trimmed from its oldest end)", kept->second);
    } else if (binlog.mtime >= cutoff) {
      decision.reason = fmt::format("younger than {} days (closed {})", rule.older_than_days, core::format_datetime(binlog.mtime));
    } else {
      decision.remove = true;
      decision.reason = fmt::format("closed {}, older than {} days; {}", core::format_datetime(binlog.mtime),
                                    rule.older_than_days,
                                    needs.by_prefix.contains(name.prefix)
                                        ? fmt::format("the oldest PITR base starts later, in {}", needs.by_prefix.at(name.prefix).file)
                                        : std::string("no PITR base needs it"));
    }
    if (!decision.remove && !first_kept.contains(name.prefix)) first_kept[name.prefix] = binlog.name;
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

}  // namespace mysqlpitr::archive
