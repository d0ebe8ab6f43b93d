#include "archive/stream_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "archive/copy.hpp"
#include "binlog/name.hpp"
#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::archive {
namespace {

constexpr std::uint8_t kMagic[4] = {0xfe, 0x62, 0x69, 0x6e};

void sync_fd(int fd, const std::string& path) {
  if (::fdatasync(fd) != 0) throw failure("cannot sync {}: {}", path, errno_text(errno));
}

void remove_streamed(const std::string& streamed) {
  if (::unlink(streamed.c_str()) != 0) throw failure("cannot remove {}: {}", streamed, errno_text(errno));
}

// The streamed copy is removed when the archive's file of its name holds the same binlog (an
// encrypted one compared by what it decrypts to).
VerifiedCopy keep_archived(const std::string& streamed, const std::shared_ptr<storage::Storage>& archive,
                           const std::string& binlog, crypto::KeyRing* keys) {
  Comparison comparison = compare_copy(streamed, archive, binlog, keys);
  std::string archived = archive->describe(binlog);
  if (!comparison.equal)
    throw failure("{} exists already and differs from the streamed {} (SHA-256 {}; streamed {}): both kept; compare "
                  "them with `mysqlpitr binlogs show`",
                  archived, streamed, comparison.archived_sha256, comparison.source_sha256);
  remove_streamed(streamed);
  return comparison.copy;
}

}  // namespace

std::string streaming_name(const std::string& binlog) { return binlog + kStreamingSuffix; }

std::optional<std::string> streamed_binlog(const std::string& name) {
  std::string suffix = kStreamingSuffix;
  if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  std::string binlog = name.substr(0, name.size() - suffix.size());
  if (!binlog::parse_binlog_name(binlog)) return std::nullopt;
  return binlog;
}

WholePart whole_part(const std::string& path) {
  WholePart part;
  auto entry = io::stat_entry(path);
  part.size = entry ? entry->size : 0;
  std::string head = part.size >= 4 ? io::read_file_head(path, 4) : std::string();
  if (head.size() < 4 || std::memcmp(head.data(), kMagic, 4) != 0) return part;
  part.end = 4;
  try {
    binlog::FileReader reader(path, {true, false});
    while (const binlog::Event* event = reader.next()) {
      part.end = reader.position();
      part.last_event_time = event->header.timestamp;
      part.last_event_type = event->header.type_code;
    }
  } catch (const Error&) {
    // a torn or damaged tail: the whole part ends before it
  }
  return part;
}

StreamFile::StreamFile(std::string folder, std::string binlog, std::uint64_t position)
    : folder_(std::move(folder)), binlog_(std::move(binlog)) {
  if (!binlog::parse_binlog_name(binlog_))
    throw precondition_error("the server names its binlog '{}', which is not a binlog file name (<basename>.NNNNNN, "
                             "no folders): nothing written",
                             core::printable(binlog_));
  std::string file = path();
  bool fresh = position <= 4;
  fd_ = io::UniqueFd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (fresh ? O_TRUNC : 0), 0640));
  if (!fd_.valid()) throw failure("cannot open {}: {}", file, errno_text(errno));
  if (fresh) {
    io::write_all(fd_.get(), kMagic, sizeof kMagic, file);
    size_ = sizeof kMagic;
    sync();
    io::fsync_directory(folder_);  // the new name is durable with its first bytes
    return;
  }
  auto entry = io::stat_entry(file);
  if (!entry || entry->size < position)
    throw failure("{} holds {} bytes, fewer than the position {} the stream resumes at", file, entry ? entry->size : 0,
                  position);
  if (::ftruncate(fd_.get(), static_cast<off_t>(position)) != 0 ||
      ::lseek(fd_.get(), static_cast<off_t>(position), SEEK_SET) < 0)
    throw failure("cannot cut {} at byte {}: {}", file, position, errno_text(errno));
  size_ = synced_ = position;
  sync_fd(fd_.get(), file);
}

std::string StreamFile::path() const { return io::join_path(folder_, streaming_name(binlog_)); }

StreamFile::~StreamFile() {
  try {
    if (fd_.valid()) write_buffer();
  } catch (const Error&) {
    // the events not written are fetched again by the next run
  }
}

void StreamFile::write_buffer() {
  if (buffer_.empty()) return;
  io::write_all(fd_.get(), buffer_.data(), buffer_.size(), path());
  buffer_.clear();
}

void StreamFile::append(std::span<const std::uint8_t> event, bool boundary) {
  constexpr std::size_t kBufferLimit = 256 * 1024;
  if (buffer_.empty() && (boundary || event.size() >= kBufferLimit)) {
    io::write_all(fd_.get(), event.data(), event.size(), path());
  } else {
    buffer_.insert(buffer_.end(), event.begin(), event.end());
    if (boundary || buffer_.size() >= kBufferLimit) write_buffer();
  }
  size_ += event.size();
}

void StreamFile::sync() {
  write_buffer();
  if (synced_ == size_) return;
  sync_fd(fd_.get(), path());
  synced_ = size_;
}

void StreamFile::mark_in_use() {
  constexpr off_t kFlagsOffset = 4 + 17;  // low byte of the first event's flags
  write_buffer();
  std::uint8_t flags = 0;
  if (size_ < 4 + 19 || ::pread(fd_.get(), &flags, 1, kFlagsOffset) != 1)
    throw failure("cannot read the Format_description of {}: {}", path(), errno_text(errno));
  flags |= 0x01;
  if (::pwrite(fd_.get(), &flags, 1, kFlagsOffset) != 1) throw failure("cannot write {}: {}", path(), errno_text(errno));
  synced_ = 0;
}

VerifiedCopy StreamFile::close_verified(crypto::KeyRing* keys, bool encrypt) {
  std::string streamed = path(), archived = io::join_path(folder_, binlog_);
  sync();
  fd_.reset();
  with_context("verifying the streamed " + streamed, [&] { read_binlog_to_end(streamed); });
  std::shared_ptr<storage::Storage> archive = storage::open_posix(folder_);
  if (encrypt) {
    auto copy = copy_verified(streamed, archive, binlog_, keys);  // never over a file
    if (!copy) return keep_archived(streamed, archive, binlog_, keys);
    remove_streamed(streamed);
    io::fsync_directory(folder_);
    return *copy;
  }
  if (::link(streamed.c_str(), archived.c_str()) != 0) {
    if (errno != EEXIST) throw failure("cannot name {} {}: {}", streamed, archived, errno_text(errno));
    return keep_archived(streamed, archive, binlog_, keys);
  }
  remove_streamed(streamed);
  io::fsync_directory(folder_);
  io::FileDigest digest = io::digest_file(archived);
  auto entry = io::stat_entry(archived);
  return VerifiedCopy{digest.size, entry ? entry->mtime : 0, digest.sha256, std::time(nullptr)};
}

}  // namespace mysqlpitr::archive
