#pragma once
// The `verify` part for binlogs (archived ones, or any `<basename>.NNNNNN` file given): each read
// to its end with its checksums and compared with the archive's record, in parallel over files;
// then each folder's files of one name prefix checked as one sequence (binlog::find_gaps).
#include <vector>

#include "commands/verify.hpp"

namespace mysqlpitr::commands {

bool accepts_binlog(const io::DirEntry& entry);

void verify_binlogs(Context& context, const std::vector<io::DirEntry>& binlogs, VerifyResults& results);

}  // namespace mysqlpitr::commands
