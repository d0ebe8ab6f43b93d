#pragma once
// The `verify` part for binlogs (archived ones, or any `<basename>.NNNNNN` file given): each read
// to its end with its checksums and compared with the archive's record, in parallel over files;
// then each folder's files of one name prefix checked as one sequence (binlog::find_gaps).
#include <vector>

#include "archive/binlog_check.hpp"
#include "commands/verify.hpp"

namespace mysqlpitr::commands {

bool accepts_binlog(const io::DirEntry& entry);

void verify_binlogs(Context& context, const std::vector<io::DirEntry>& binlogs, VerifyResults& results);

// The checks' outcomes, and the breaks in each folder's sequence, added to the results.
void add_binlog_checks(const std::vector<archive::BinlogCheck>& checks, VerifyResults& results);

}  // namespace mysqlpitr::commands
