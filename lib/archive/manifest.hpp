#pragma once
// The archive's record of verified copies, `.mysqlpitr-binlogs.json` in the archive folder (a
// hidden name: no legacy glob matches it). A copy whose size and modification time still match its
// record needs no second full read on the next rotation; anything else is compared with the
// source. The record is rewritten atomically after every copy, so a crash loses at most one entry.
#include <ctime>
#include <map>
#include <string>

namespace mysqlpitr::archive {

struct VerifiedCopy {
  unsigned long long size = 0;
  std::time_t mtime = 0;  // of the archived file (set to the source's when it is copied)
  std::string sha256;
  std::time_t verified_at = 0;
};

class Manifest {
 public:
  // Reads the record of `folder`; a missing file is an empty record, an unreadable one too (with
  // every copy then compared again), so a damaged record never blocks archiving.
  static Manifest load(const std::string& folder);

  const VerifiedCopy* find(const std::string& name) const;
  const std::map<std::string, VerifiedCopy>& copies() const { return copies_; }
  void record(const std::string& name, VerifiedCopy copy);
  void forget(const std::string& name);
  void save() const;  // atomically
  const std::string& path() const { return path_; }

 private:
  std::string folder_;
  std::string path_;
  std::map<std::string, VerifiedCopy> copies_;
};

inline constexpr const char* kManifestName = ".mysqlpitr-binlogs.json";

}  // namespace mysqlpitr::archive
