#pragma once
// Whether the binlogs a replay reads follow one another with nothing lost between them, judged
// from their summaries by the rules `list binlogs` and rotate-binlogs report (binlog::find_gaps),
// and whether "the end of the newest binlog" is the server's current binlog. Every refusal is a
// precondition Error (exit 5) naming the file and what is missing; nothing is touched before.
#include <optional>
#include <string>
#include <vector>

#include "binlog/sequence.hpp"
#include "pitr/chain.hpp"
#include "pitr/stop_point.hpp"
#include "pitr/transactions.hpp"

namespace mysqlpitr::pitr {

// `files`: the chain's files the replay goes through, in order, then the file after the last one
// when the replay reads that one to its end. Refuses at the first gap between two of them.
void require_continuous(const std::vector<binlog::BinlogFile>& files);

// The file the replay reads to its end, when no file follows it: it may lack a closing event only
// when it is open (the server's active binlog, or one it died writing); a closed file without one
// was cut short, and reading it "to its end" would silently end early.
void require_whole_last(const binlog::BinlogFile& last);

// The server's side of "the end of the newest binlog".
struct ServerBinlog {
  std::string file;    // SHOW MASTER STATUS's file; empty when unknown (binary logging off)
  std::string folder;  // where the server writes its binlogs; empty when not readable from here
};

// For a replay to the end of the chain: its last file must be the server's current binlog, read
// from the server's own file. Refuses when the server's numbering restarted below it (RESET
// MASTER, or another server), when the server writes binlogs of another name, or when the server's
// newer binlogs cannot be read from here. Returns a note for the plan when the server's current
// binlog is unknown (the chain then ends at the newest binlog found).
std::optional<std::string> require_server_continues(const ChainFile& last, const binlog::FileSummary& summary,
                                                    const ServerBinlog& server);

// The checks of a read of `chain` (a replay's or a flashback's) that ended at `end` for a stop
// point of kind `stop`, judged after reading so that files past the stop point refuse nothing: the
// files it crossed follow one another (require_continuous); when it read its last file to the end,
// that file is whole (require_whole_last) and, unless --until-binlog named it, the server's current
// binlog (require_server_continues). Returns the notes for the plan.
std::vector<std::string> check_read_continuity(const Chain& chain, const ReadEnd& end, StopKind stop,
                                               const ServerBinlog& server);

}  // namespace mysqlpitr::pitr
