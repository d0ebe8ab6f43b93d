#pragma once
// The binlogs a restore reads, checked against what they are known to hold before anything is
// dropped: the bucket's records of their uploads and rotate-binlogs' record of the archive.
#include <string>
#include <vector>

#include "commands/bucket_pitr.hpp"
#include "commands/context.hpp"
#include "pitr/chain.hpp"

namespace mysqlpitr::commands {

// Reads each of `files` that comes from the bucket or from the local archive (`archive_folder`) to
// its end through SHA-256 and compares size and digest with its record (the bucket's, or
// rotate-binlogs' record of the copy it verified): a precondition error naming the file when they
// differ. A CRC32 recomputed after an edit passes the event checks; this does not. An archived copy
// shorter than it was verified (cut short) is left to the continuity checks, which refuse a replay
// across the cut but let a stop point before it replay what is left.
void verify_chain_binlogs(Context& context, const std::vector<pitr::ChainFile>& files, const BucketBinlogs& bucket,
                          const std::string& archive_folder);

}  // namespace mysqlpitr::commands
