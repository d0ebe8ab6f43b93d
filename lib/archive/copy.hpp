#pragma once
// Copying one closed binlog into the archive so that its final name appears only for a whole,
// proven copy: written through the storage layer, read back from what the storage holds before it
// is named (SHA-256 equal to the bytes read from the source), read to the end by the binlog reader
// (every event whole, CRC32 checksums verified), and only then published.
#include <memory>
#include <optional>
#include <string>

#include "archive/manifest.hpp"
#include "crypto/key.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::archive {

// Copies `source_path` into the archive (a folder through the storage layer) as `name`; the copy
// keeps the source's modification time (the time the server closed it). With `encrypt_with` the
// copy is encrypted with its writing key (same name: binlog names carry the sequence, and a header
// tells an encrypted file), and read back decrypted: the plain bytes must be the source's. Throws
// naming the file and what did not match. The final name is never taken over: nullopt when an
// object of that name appeared while the copy was made (`binlogs stream` closed the same binlog),
// which is left as it was for the caller to compare.
std::optional<VerifiedCopy> copy_verified(const std::string& source_path, const std::shared_ptr<storage::Storage>& archive,
                                          const std::string& name, crypto::KeyRing* encrypt_with = nullptr);

// Reads a binlog file to its end with the binlog reader (CRC32 checked when the file's format
// description announces checksums); throws naming the file and offset.
struct ReadToEnd {
  unsigned long long events = 0;  // including those inside Transaction_payload events
  bool checksums = false;         // the file carries CRC32 checksums, and every one matched
};
ReadToEnd read_binlog_to_end(const std::string& path, crypto::KeyRing* keys = nullptr);

// The record of an archived binlog already whole: read to its end (through `keys` when encrypted),
// its stored bytes digested, and for an encrypted one the plain bytes too. Throws when it is not whole.
VerifiedCopy record_whole_copy(const std::shared_ptr<storage::Storage>& archive, const std::string& name,
                               crypto::KeyRing* keys);

// Compares the archive's object `name` with its source by SHA-256; on equality returns the record to keep.
struct Comparison {
  bool equal = false;
  VerifiedCopy copy;  // of the archived file, when equal
  std::string source_sha256, archived_sha256;
};
// An encrypted archived copy is compared by the plain bytes it holds (read through `keys`).
Comparison compare_copy(const std::string& source_path, const std::shared_ptr<storage::Storage>& archive,
                        const std::string& name, crypto::KeyRing* keys = nullptr);

}  // namespace mysqlpitr::archive
