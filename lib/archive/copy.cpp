#include "archive/copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <vector>

#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::archive {
namespace {

struct stat stat_fd(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw failure("cannot stat {}: {}", path, errno_text(errno));
  return st;
}

io::UniqueFd open_source(const std::string& path) {
  io::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    int error = errno;
    if (error == EACCES)
      throw failure("cannot read the server's binlog {}: {}. rotate-binlogs reads binlogs from the server's files, so it "
                    "must run on the database host as a user who can read them (add that user to the server's group, "
                    "e.g. usermod -aG mysql USER, or run it as the mysql user)",
                    path, errno_text(error));
    throw failure("cannot open the server's binlog {}: {}", path, errno_text(error));
  }
  return fd;
}

}  // namespace

ReadToEnd read_binlog_to_end(const std::string& path) {
  binlog::FileReader reader(path);
  ReadToEnd result;
  while (reader.next()) ++result.events;
  if (reader.position() != reader.file_size())
    throw failure("{}: the reader stopped at byte {} of {}", path, reader.position(), reader.file_size());
  result.checksums = reader.format().checksum == binlog::ChecksumAlg::crc32;
  return result;
}

VerifiedCopy copy_verified(const std::string& source_path, const std::string& archive_folder, const std::string& name) {
  io::UniqueFd source = open_source(source_path);
  struct stat before = stat_fd(source.get(), source_path);
  ::posix_fadvise(source.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

  io::AtomicFile copy(io::join_path(archive_folder, name), 0640);
  io::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  unsigned long long copied = 0;
  for (;;) {
    ssize_t got = ::read(source.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw failure("cannot read {} at byte {}: {}", source_path, copied, errno_text(errno));
    if (got == 0) break;
    hash.update(std::string_view(buffer.data(), static_cast<size_t>(got)));
    copy.write(buffer.data(), static_cast<size_t>(got));
    copied += static_cast<unsigned long long>(got);
  }
  std::string source_sha256 = hash.hex_digest();
  struct stat after = stat_fd(source.get(), source_path);
  if (copied != static_cast<unsigned long long>(before.st_size) || after.st_size != before.st_size ||
      after.st_mtim.tv_sec != before.st_mtim.tv_sec || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
    throw failure("{} changed while it was copied ({} bytes before, {} read, {} after): is it the active binlog?",
                  source_path, before.st_size, copied, after.st_size);

  // The copy carries the time the server closed the binlog, as listings and retention use it.
  struct timespec times[2] = {{0, UTIME_NOW}, after.st_mtim};
  if (::futimens(copy.fd(), times) != 0)
    throw failure("cannot set the modification time of {}: {}", copy.temp_path(), errno_text(errno));
  if (::fsync(copy.fd()) != 0) throw failure("cannot sync {}: {}", copy.temp_path(), errno_text(errno));
  // Drop the cached pages so that the checks below read what the storage holds.
  ::posix_fadvise(copy.fd(), 0, 0, POSIX_FADV_DONTNEED);

  io::FileDigest reread = io::digest_file(copy.temp_path());
  if (reread.size != copied || reread.sha256 != source_sha256)
    throw failure("the copy of {} read back differs from the source ({} bytes, SHA-256 {}; source {} bytes, {})",
                  source_path, reread.size, reread.sha256, copied, source_sha256);
  with_context("verifying the copy of " + source_path, [&] { read_binlog_to_end(copy.temp_path()); });
  copy.commit();
  return VerifiedCopy{copied, after.st_mtim.tv_sec, source_sha256, std::time(nullptr)};
}

Comparison compare_copy(const std::string& source_path, const std::string& archived_path) {
  { io::UniqueFd readable = open_source(source_path); }  // the helpful message when it is not readable
  io::FileDigest source = io::digest_file(source_path);
  io::FileDigest archived = io::digest_file(archived_path);
  Comparison result;
  result.source_sha256 = source.sha256;
  result.archived_sha256 = archived.sha256;
  result.equal = source.size == archived.size && source.sha256 == archived.sha256;
  if (result.equal) {
    read_binlog_to_end(archived_path);
    auto entry = io::stat_entry(archived_path);
    result.copy = VerifiedCopy{archived.size, entry ? entry->mtime : 0, archived.sha256, std::time(nullptr)};
  }
  return result;
}

}  // namespace mysqlpitr::archive
