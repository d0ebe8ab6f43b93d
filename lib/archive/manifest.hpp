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
  VerifiedCopy() = default;
  VerifiedCopy(unsigned long long size, std::time_t mtime, std::string sha256, std::time_t verified_at)
      : size(size), mtime(mtime), sha256(std::move(sha256)), verified_at(verified_at) {}

  unsigned long long size = 0;
  std::time_t mtime = 0;  // of the archived file (set to the source's when it is copied)
  std::string sha256;
  std::time_t verified_at = 0;
  // An encrypted copy (key_id set): size and sha256 above are of the bytes stored, plain_size and
  // plain_sha256 of the binlog they hold (the server's file).
  std::string key_id;
  unsigned long long plain_size = 0;
  std::string plain_sha256;

  bool encrypted() const { return !key_id.empty(); }
  unsigned long long binlog_size() const { return encrypted() ? plain_size : size; }
  const std::string& binlog_sha256() const { return encrypted() ? plain_sha256 : sha256; }
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
