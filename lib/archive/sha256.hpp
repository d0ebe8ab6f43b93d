#pragma once
// SHA-256 of archived binlogs (dump::Sha256, the manifests' hash): computed while copying, and
// again from the copy read back.
#include <string>

namespace mysqlpitr::archive {

struct FileDigest {
  unsigned long long size = 0;
  std::string sha256;
};

// Reads a whole file; throws naming it.
FileDigest digest_file(const std::string& path);

}  // namespace mysqlpitr::archive
