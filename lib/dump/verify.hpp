#pragma once
// Checks a SQL dump without restoring it: the compressed stream is whole, the completion marker
// that mysqldump and mysqlpitr write last is there, and, when the folder's manifest knows the file,
// its size and SHA-256 are the recorded ones. Works on legacy mysqldump files (no manifest).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/key.hpp"
#include "io/input_stream.hpp"

namespace mysqlpitr::dump {

struct DumpVerification {
  std::string path;
  bool ok = false;
  std::string problem;  // empty when ok
  std::string compression;
  unsigned long long size = 0;
  unsigned long long sql_bytes = 0;
  bool in_manifest = false;  // checksum compared
};

// Whether a file name looks like a SQL dump (.sql, .sql.gz, .sql.zst) and is not a temporary file.
bool looks_like_dump(const std::string& name);

// Never throws for a bad file: the problem is in the result, naming the file. An encrypted file is
// authenticated chunk by chunk with `keys`; without the key that encrypted it, it fails verification.
DumpVerification verify_dump(const std::string& path, crypto::KeyRing* keys = nullptr);

// The same checks on a dump read through `open` (an object of a bucket, streamed, never downloaded
// whole): `name` in messages, `size` its stored size, `recorded` what its record says (size and
// SHA-256 compared; none: a legacy file, checked by its content alone).
using OpenDump = std::function<std::unique_ptr<io::InputStream>(io::Sha256* raw_digest)>;
DumpVerification verify_dump_stream(const std::string& name, unsigned long long size,
                                    const std::optional<nlohmann::json>& recorded, const OpenDump& open);

// Why a dump cannot count as the backup prune keeps (empty when it can): exactly what `verify`
// refuses, so that prune never keeps, as a database's newest, a file verify calls FAILED (a legacy
// dump cut short by a failed `mysqldump | gzip` is a whole gzip stream without its completion marker).
// An encrypted dump counts only when a configured key reads it.
std::string retention_problem(const std::string& path, crypto::KeyRing* keys);

}  // namespace mysqlpitr::dump
