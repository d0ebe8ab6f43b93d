#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/files.hpp"
#include "io/interrupt_cleanup.hpp"

namespace mysqlpitr::io {

AtomicFile::AtomicFile(std::string final_path, unsigned mode) : final_path_(std::move(final_path)) {
  std::string folder = parent_path(final_path_);
  // A final name near NAME_MAX (mongodump truncates collection file names to fit it) is cut in the
  // temporary one, which must fit too.
  std::string base = base_name(final_path_);
  size_t room = NAME_MAX - 1 - kTempMarker.size() - 6;
  if (base.size() > room) base.resize(room);
  std::string pattern = join_path(folder, "." + base + std::string(kTempMarker) + "XXXXXX");
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) throw failure("cannot create a temporary file in {}: {}", folder, errno_text(errno));
  fd_ = UniqueFd(fd);
  temp_path_ = name.data();
  cleanup_slot_ = register_temporary(temp_path_);
  ::fchmod(fd, mode);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::move(other.fd_)),
      bytes_written_(other.bytes_written_),
      committed_(other.committed_),
      cleanup_slot_(std::exchange(other.cleanup_slot_, -1)) {
  other.committed_ = true;  // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile() {
  release_temporary(cleanup_slot_);
  if (!committed_ && !temp_path_.empty()) {
    fd_.reset();
    ::unlink(temp_path_.c_str());
  }
}

void AtomicFile::write(const void* data, size_t size) {
  write_all(fd_.get(), data, size, temp_path_);
  bytes_written_ += size;
}

void AtomicFile::sync_and_close() {
  if (::fsync(fd_.get()) != 0) throw failure("cannot sync {}: {}", temp_path_, errno_text(errno));
  if (::close(fd_.release()) != 0) throw failure("cannot close {}: {}", temp_path_, errno_text(errno));
}

void AtomicFile::commit() {
  sync_and_close();
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    throw failure("cannot rename {} to {}: {}", temp_path_, final_path_, errno_text(errno));
  committed_ = true;
  release_temporary(std::exchange(cleanup_slot_, -1));
  fsync_directory(parent_path(final_path_));
}

void AtomicFile::commit_new() {
  if (!commit_if_absent()) throw usage_error("{} already exists: not replaced", final_path_);
}

bool AtomicFile::commit_if_absent() {
  sync_and_close();
  // link() fails when the final name exists, where rename() would replace it.
  if (::link(temp_path_.c_str(), final_path_.c_str()) != 0) {
    if (errno == EEXIST) return false;  // the destructor removes the temporary file
    throw failure("cannot link {} to {}: {}", temp_path_, final_path_, errno_text(errno));
  }
  ::unlink(temp_path_.c_str());
  committed_ = true;
  release_temporary(std::exchange(cleanup_slot_, -1));
  fsync_directory(parent_path(final_path_));
  return true;
}

}  // namespace mysqlpitr::io
