#include "mongo/byte_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <utility>

#include "core/error.hpp"

namespace mysqlpitr::mongo {

namespace {
std::string gz_error_text(gzFile gz) {
  int code = Z_OK;
  const char* text = gzerror(gz, &code);
  if (code == Z_ERRNO) return errno_text(errno);
  return text != nullptr ? text : "unknown zlib error";
}

int open_or_throw(const std::filesystem::path& path, int flags, const char* what) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0640);
  if (fd < 0) throw failure("cannot {} {}: {}", what, path.string(), errno_text(errno));
  return fd;
}
}  // namespace

bool has_gzip_suffix(const std::filesystem::path& path) { return path.extension() == ".gz"; }

ByteReader::ByteReader(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = open_or_throw(path_, O_RDONLY, "open");
  if (!has_gzip_suffix(path_)) return;
  gz_ = gzdopen(fd_, "rb");
  if (gz_ == nullptr) {
    ::close(fd_);
    throw failure("cannot open {} as gzip", path_.string());
  }
  fd_ = -1;  // owned by gz_ now
  gzbuffer(gz_, 128 * 1024);
}

ByteReader::~ByteReader() {
  if (gz_ != nullptr) gzclose_r(gz_);
  if (fd_ >= 0) ::close(fd_);
}

std::size_t ByteReader::read(std::span<std::uint8_t> out) {
  std::size_t total = 0;
  while (total < out.size()) {
    std::size_t want = std::min<std::size_t>(out.size() - total, 1U << 30);
    if (gz_ != nullptr) {
      int got = gzread(gz_, out.data() + total, static_cast<unsigned>(want));
      if (got < 0) throw failure("{}: gzip stream is corrupt: {}", path_.string(), gz_error_text(gz_));
      if (got == 0) {
        int code = Z_OK;
        gzerror(gz_, &code);
        if (code != Z_OK) {
          throw failure("{}: gzip stream is corrupt or cut short: {}", path_.string(),
                        gz_error_text(gz_));
        }
        // gzread passes non-gzip data through; a ".gz" that is not gzip (or empty) is an error.
        if (gzdirect(gz_) != 0) {
          throw failure("{}: not a gzip file although its name ends in .gz", path_.string());
        }
        break;
      }
      if (gzdirect(gz_) != 0) {
        throw failure("{}: not a gzip file although its name ends in .gz", path_.string());
      }
      total += static_cast<std::size_t>(got);
    } else {
      ssize_t got = ::read(fd_, out.data() + total, want);
      if (got < 0) {
        if (errno == EINTR) continue;
        throw failure("cannot read {}: {}", path_.string(), errno_text(errno));
      }
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
  }
  return total;
}

std::string read_whole_file(const std::filesystem::path& path) {
  ByteReader reader(path);
  std::string text;
  std::uint8_t chunk[64 * 1024];
  for (;;) {
    std::size_t got = reader.read(chunk);
    text.append(reinterpret_cast<const char*>(chunk), got);
    if (got < sizeof chunk) break;
  }
  return text;
}

ByteWriter::ByteWriter(std::filesystem::path path, int gzip_level) : path_(std::move(path)) {
  fd_ = open_or_throw(path_, O_WRONLY | O_CREAT | O_EXCL, "create");
  if (!has_gzip_suffix(path_)) return;
  int copy = ::dup(fd_);  // gzclose closes its descriptor; ours stays for fsync
  if (copy < 0) throw failure("cannot write {}: {}", path_.string(), errno_text(errno));
  std::string mode = "wb" + std::to_string(std::clamp(gzip_level, 1, 9));
  gz_ = gzdopen(copy, mode.c_str());
  if (gz_ == nullptr) {
    ::close(copy);
    throw failure("cannot start gzip output for {}", path_.string());
  }
  gzbuffer(gz_, 128 * 1024);
}

ByteWriter::~ByteWriter() {
  if (gz_ != nullptr) gzclose_w(gz_);
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

void ByteWriter::write(std::span<const std::uint8_t> bytes) {
  bytes_in_ += bytes.size();
  const std::uint8_t* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    std::size_t chunk = std::min<std::size_t>(left, 1U << 30);
    if (gz_ != nullptr) {
      int put = gzwrite(gz_, data, static_cast<unsigned>(chunk));
      if (put <= 0) throw failure("cannot write {}: {}", path_.string(), gz_error_text(gz_));
      data += put;
      left -= static_cast<std::size_t>(put);
    } else {
      ssize_t put = ::write(fd_, data, chunk);
      if (put < 0) {
        if (errno == EINTR) continue;
        throw failure("cannot write {}: {}", path_.string(), errno_text(errno));
      }
      data += put;
      left -= static_cast<std::size_t>(put);
    }
  }
}

void ByteWriter::write(std::string_view text) {
  write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void ByteWriter::commit() {
  if (gz_ != nullptr) {
    int code = gzclose_w(gz_);
    gz_ = nullptr;
    if (code != Z_OK) throw failure("cannot finish gzip stream of {}", path_.string());
  }
  if (::fsync(fd_) != 0) throw failure("cannot fsync {}: {}", path_.string(), errno_text(errno));
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) throw failure("cannot close {}: {}", path_.string(), errno_text(errno));
  committed_ = true;
}

void sync_folder(const std::filesystem::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw failure("cannot open folder {}: {}", folder.string(), errno_text(errno));
  int code = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (code != 0) throw failure("cannot fsync folder {}: {}", folder.string(), errno_text(saved));
}

}  // namespace mysqlpitr::mongo
