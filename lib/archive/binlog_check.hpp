#pragma once
// Verification of binlog files without a server (for `verify`): each file read to its end by the
// binlog reader (every event whole, CRC32 checked when its format description says the server
// wrote checksums), its SHA-256 compared with the archive's record of verified copies when the
// record names it (this also catches damage in files written without checksums), and the files
// of each folder and name prefix checked as one sequence by binlog::find_gaps, the rules `list
// binlogs`, rotate-binlogs and restore-pitr use.
#include <cstdint>
#include <string>
#include <vector>

#include "binlog/sequence.hpp"
#include "crypto/key.hpp"

namespace mysqlpitr::archive {

struct BinlogCheck {
  std::string path;
  bool ok = false;
  std::string problem;  // names the file, and the byte offset where the reader stopped
  std::uint64_t size = 0;
  std::uint64_t events = 0;
  bool checksums = false;         // CRC32 checksums present and all verified
  bool checked_against_record = false;  // SHA-256 equal to the archive's record
  bool vanished = false;  // gone before it was read (retention or prune ran meanwhile): no verdict
  binlog::FileSummary summary;    // header facts for the sequence check
};

// Checks the files on up to `jobs` threads; results in the order of `paths`. Never throws for a
// damaged or unreadable file: its check says what is wrong.
// `keys` reads archived binlogs encrypted by mysqlpitr (every chunk authenticated); without them
// such a file's check fails naming the key it needs.
std::vector<BinlogCheck> check_binlog_files(const std::vector<std::string>& paths, int jobs, crypto::KeyRing* keys = nullptr);

struct SequenceBreak {
  std::string folder;
  binlog::Gap gap;
};

// The checked files grouped by folder and name prefix, each group in number order, through
// binlog::find_gaps. Vanished files are left out: retention only ever trims a sequence's oldest end.
std::vector<SequenceBreak> sequence_breaks(const std::vector<BinlogCheck>& checks);

}  // namespace mysqlpitr::archive
