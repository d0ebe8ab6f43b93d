#pragma once
// Copying one closed binlog into the archive so that its final name appears only for a whole,
// proven copy: written under a temporary name, fsynced, read back from storage (SHA-256 equal to
// the bytes read from the source), read to the end by the binlog reader (every event whole, CRC32
// checksums verified), and only then renamed.
#include <string>

#include "archive/manifest.hpp"

namespace mysqlpitr::archive {

// Copies `source_path` to `archive_folder/name`; the copy keeps the source's modification time
// (the time the server closed it). Throws naming the file and what did not match.
VerifiedCopy copy_verified(const std::string& source_path, const std::string& archive_folder, const std::string& name);

// Reads a binlog file to its end with the binlog reader (CRC32 checked when the file's format
// description announces checksums); throws naming the file and offset.
struct ReadToEnd {
  unsigned long long events = 0;  // including those inside Transaction_payload events
  bool checksums = false;         // the file carries CRC32 checksums, and every one matched
};
ReadToEnd read_binlog_to_end(const std::string& path);

// Compares an archived copy with its source by SHA-256; on equality returns the record to keep.
struct Comparison {
  bool equal = false;
  VerifiedCopy copy;  // of the archived file, when equal
  std::string source_sha256, archived_sha256;
};
Comparison compare_copy(const std::string& source_path, const std::string& archived_path);

}  // namespace mysqlpitr::archive
