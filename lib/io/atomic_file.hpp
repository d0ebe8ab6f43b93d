#pragma once
// A file that appears under its final name only once it is whole and durable: written to a
// temporary name in the same folder (".<name>.partial-XXXXXX", which no legacy glob matches), then
// fsync, close, rename, fsync of the folder. Destroyed without commit(), the temp file is removed.
#include <string>
#include <string_view>

#include "io/fd.hpp"

namespace mysqlpitr::io {

class AtomicFile {
 public:
  explicit AtomicFile(std::string final_path, unsigned mode = 0640);
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(const void* data, size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  unsigned long long bytes_written() const noexcept { return bytes_written_; }

  // Makes the file durable and gives it its final name (replacing an older file of that name).
  void commit();
  // The same, but an existing file of the final name is an error and stays as it was (a key file
  // must never be replaced by a new key: backups made with the old one would become unreadable).
  void commit_new();
  // The same, but an existing file of the final name is left as it was and false returned (the
  // temporary file is then removed): another writer got there first.
  bool commit_if_absent();

  int fd() const noexcept { return fd_.get(); }
  const std::string& final_path() const noexcept { return final_path_; }
  const std::string& temp_path() const noexcept { return temp_path_; }

 private:
  void sync_and_close();

  std::string final_path_;
  std::string temp_path_;
  UniqueFd fd_;
  unsigned long long bytes_written_ = 0;
  bool committed_ = false;
  int cleanup_slot_ = -1;  // registered for removal on SIGINT/SIGTERM
};

// Prefix of every temporary name the tool creates; the catalog ignores such entries.
inline constexpr std::string_view kTempMarker = ".partial-";

}  // namespace mysqlpitr::io
