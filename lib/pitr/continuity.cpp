#include "pitr/continuity.hpp"

#include "binlog/name.hpp"
#include "binlog/scan.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace mysqlpitr::pitr {
namespace {

bool closed_or_open(const binlog::FileSummary& summary) {
  return summary.rotate_to || summary.ends_with_stop || summary.encrypted || summary.in_use;
}

std::string last_event_text(const binlog::FileSummary& summary) {
  return summary.last_event_time ? core::format_datetime_utc(*summary.last_event_time) + " UTC" : "unknown";
}

binlog::BinlogFile summarise(const ChainFile& file) {
  return {file.name, file.path, file.sequence, 0, binlog::scan_file(file.path, *open_source(file.path, file.open))};
}

}  // namespace

void require_continuous(const std::vector<binlog::BinlogFile>& files) {
  auto gaps = binlog::find_gaps(files);
  if (gaps.empty()) return;
  const binlog::Gap& gap = gaps.front();
  throw precondition_error("binlog {} does not continue into {}: {}. Replaying across it would silently lose what is "
                           "missing; nothing was changed. Restore the missing part from another copy, or give a stop "
                           "point before the end of {} (--stop-datetime, --stop-position)",
                           gap.after, gap.before, gap.reason, gap.after);
}

void require_whole_last(const binlog::BinlogFile& last) {
  const binlog::FileSummary& summary = last.summary;
  if (closed_or_open(summary)) return;
  std::string what = summary.error.empty()
                         ? fmt::format("{} ends at byte {} without its closing Rotate event and is not marked in use "
                                       "(it is not a binlog the server is writing): it was cut short, and whatever "
                                       "followed byte {} is missing",
                                       last.name, summary.size, summary.size)
                         : fmt::format("{} cannot be read to its end: {}", last.name, summary.error);
  throw precondition_error("{}. Replaying it to its end would silently stop early; nothing was changed. Restore the "
                           "file from another copy, or give a stop point within it (--stop-datetime, --stop-position; "
                           "its last event is at {})",
                           what, last_event_text(summary));
}

std::optional<std::string> require_server_continues(const ChainFile& last, const binlog::FileSummary& summary,
                                                    const ServerBinlog& server) {
  if (server.file.empty()) {
    if (summary.rotate_to)
      return fmt::format("the server reports no current binlog (binary logging is off here): the replay ends at the "
                         "end of {}, the newest binlog found; it rotates to {}, which is in neither folder, so the "
                         "changes in {} are not replayed",
                         last.name, *summary.rotate_to, *summary.rotate_to);
    return fmt::format("the server reports no current binlog (binary logging is off here): the replay ends at the end "
                       "of {}, the newest binlog found",
                       last.name);
  }
  auto ours = binlog::parse_binlog_name(last.name);
  auto current = binlog::parse_binlog_name(server.file);
  const std::string old_history = fmt::format(
      "Nothing was changed. To replay the binlogs up to {} alone, give a stop point within them (--until-binlog {}, or "
      "--stop-datetime up to its last event, {})",
      last.name, last.name, last_event_text(summary));
  if (!current || !ours || current->prefix != ours->prefix)
    throw precondition_error("the server writes binlogs named {}, not {}.NNNNNN (log_bin_basename changed, or this is "
                             "another server): its changes since {} are in another sequence, and replaying to the end "
                             "would silently stop at the end of {} without them. {}",
                             server.file, ours ? ours->prefix : last.name, last.name, last.name, old_history);
  if (current->sequence < ours->sequence)
    throw precondition_error(
        "the server's current binlog is {}, numbered below {}, the newest binlog of the chain: the server's numbering "
        "restarted (RESET MASTER, or this is another server than the one whose binlogs are archived), so its binlogs "
        "since then do not continue {}, and replaying to the end would silently stop at the end of {} without their "
        "changes. {}; changes made after the restart need a new base (backup --kind pitr-base)",
        server.file, last.name, last.name, last.name, old_history);
  std::string where = server.folder.empty()
                          ? std::string("the server's binlog folder cannot be read from here")
                          : fmt::format("{} is not in {} (or the server rotated to it while the plan was made: run "
                                        "again)",
                                        server.file, server.folder);
  if (current->sequence > ours->sequence)
    throw precondition_error("the server's current binlog is {}, but the newest binlog found is {} ({}): {}, and "
                             "replaying to the end would silently stop at the end of {} without the changes after "
                             "it. Run restore-pitr on the database host as a user who can read the server's binlogs. "
                             "{}",
                             server.file, last.name, last.path, where, last.name, old_history);
  if (last.source != "datadir" && !last.in_both)
    throw precondition_error("the server's current binlog {} is read from the archive's copy ({}, {} bytes), made "
                             "while the server was still writing it: the server's own file cannot be read ({}), and "
                             "replaying to the end would silently stop at the end of the copy. Run restore-pitr on "
                             "the database host as a user who can read the server's binlogs. {}",
                             server.file, last.path, last.size, where, old_history);
  return std::nullopt;
}

std::vector<std::string> check_read_continuity(const Chain& chain, const ReadEnd& end, StopKind stop,
                                               const ServerBinlog& server) {
  std::vector<std::string> notes;
  const auto& files = chain.files;
  const std::size_t last = end.file_index;
  // A stop position names its point: whatever the file held after it does not matter.
  const bool reads_to_file_end = end.position >= files[last].size && stop != StopKind::position;
  std::vector<binlog::BinlogFile> crossed;
  for (std::size_t i = 0; i <= last; ++i) crossed.push_back(summarise(files[i]));
  const ChainFile* after = last + 1 < files.size() ? &files[last + 1] : chain.next ? &*chain.next : nullptr;
  if (reads_to_file_end && after) crossed.push_back(summarise(*after));
  require_continuous(crossed);
  if (!reads_to_file_end || after) return notes;
  if (files[last].streaming)
    notes.push_back(fmt::format("{} is read from the stream's {}.streaming up to byte {}, the last whole event it "
                                "received: a transaction it had not received whole is not read",
                                files[last].name, files[last].name, files[last].size));
  else
    require_whole_last(crossed.back());
  // --until-binlog names its file; the other stop points mean "up to now", the server's binlog.
  if (stop == StopKind::until_binlog) return notes;
  if (auto note = require_server_continues(files[last], crossed.back().summary, server)) notes.push_back(*note);
  return notes;
}

}  // namespace mysqlpitr::pitr
