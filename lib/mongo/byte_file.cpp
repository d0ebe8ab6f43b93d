#include "mongo/byte_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "core/error.hpp"
#include "crypto/open_input.hpp"

namespace mysqlpitr::mongo {

namespace {
std::string gz_error_text(gzFile gz) {
  int code = Z_OK;
  const char* text = gzerror(gz, &code);
  if (code == Z_ERRNO) return errno_text(errno);
  return text != nullptr ? text : "unknown zlib error";
}
}  // namespace

bool has_encryption_suffix(const std::filesystem::path& path) { return path.extension() == kEncryptedSuffix; }

std::string without_encryption_suffix(const std::string& name) {
  return name.ends_with(kEncryptedSuffix) ? name.substr(0, name.size() - kEncryptedSuffix.size()) : name;
}

bool has_gzip_suffix(const std::filesystem::path& path) {
  return std::filesystem::path(without_encryption_suffix(path.filename().string())).extension() == ".gz";
}

FileOpener decrypting_opener(FileOpener inner, crypto::KeyRing* keys) {
  return [inner = std::move(inner), keys](const std::filesystem::path& path) -> std::unique_ptr<io::ByteSource> {
    auto raw = inner ? inner(path) : io::open_file_source(path.string());
    if (!has_encryption_suffix(path)) return raw;
    return crypto::open_decrypted(std::move(raw), path.string(), keys);
  };
}

ByteReader::ByteReader(std::filesystem::path path, const FileOpener& open) : path_(std::move(path)) {
  // An encrypted file is read only through an opener holding the keys (decrypting_opener);
  // without one, this says which key it needs.
  if (!open && has_encryption_suffix(path_)) decrypting_opener({}, nullptr)(path_);
  if (open) {
    // A ".gz" is read through io's gzip reader; anything else as it is (no magic sniffing: a
    // BSON document's length may begin with gzip's magic bytes).
    if (!has_gzip_suffix(path_)) source_ = open(path_);
    else if ((stream_ = io::open_input(open(path_), path_.string()))->compression() != io::Compression::gzip)
      throw failure("{}: not a gzip file although its name ends in .gz", path_.string());
    return;
  }
  fd_ = io::UniqueFd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd_.valid()) throw failure("cannot open {}: {}", path_.string(), errno_text(errno));
  if (!has_gzip_suffix(path_)) return;
  gz_ = gzdopen(fd_.get(), "rb");
  if (gz_ == nullptr) throw failure("cannot open {} as gzip", path_.string());
  fd_.release();  // owned by gz_ now
  gzbuffer(gz_, 128 * 1024);
}

ByteReader::~ByteReader() {
  if (gz_ != nullptr) gzclose_r(gz_);
}

std::size_t ByteReader::read(std::span<std::uint8_t> out) {
  std::size_t total = 0;
  while (total < out.size()) {
    std::size_t want = std::min<std::size_t>(out.size() - total, 1U << 30);
    if (source_ || stream_) {
      char* at = reinterpret_cast<char*>(out.data() + total);
      std::size_t got = source_ ? source_->read(at, want) : stream_->read(at, want);
      if (got == 0) break;
      total += got;
    } else if (gz_ != nullptr) {
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
      ssize_t got = ::read(fd_.get(), out.data() + total, want);
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

std::string read_whole_file(const std::filesystem::path& path, const FileOpener& open) {
  ByteReader reader(path, open);
  std::string text;
  std::uint8_t chunk[64 * 1024];
  for (;;) {
    std::size_t got = reader.read(chunk);
    text.append(reinterpret_cast<const char*>(chunk), got);
    if (got < sizeof chunk) break;
  }
  return text;
}

}  // namespace mysqlpitr::mongo
