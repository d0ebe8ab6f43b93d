#include "mongo/byte_file.hpp"

#include <utility>

#include "core/error.hpp"
#include "crypto/open_input.hpp"

namespace mysqlpitr::mongo {

bool has_encryption_suffix(const std::filesystem::path& path) { return path.extension() == kEncryptedSuffix; }

std::string without_encryption_suffix(const std::string& name) {
  return name.ends_with(kEncryptedSuffix) ? name.substr(0, name.size() - kEncryptedSuffix.size()) : name;
}

bool has_gzip_suffix(const std::filesystem::path& path) {
  return std::filesystem::path(without_encryption_suffix(path.filename().string())).extension() == ".gz";
}

FileOpener storage_opener(std::shared_ptr<storage::Storage> storage, std::filesystem::path root) {
  return [storage = std::move(storage), root = std::move(root)](const std::filesystem::path& path) {
    return std::unique_ptr<io::ByteSource>(storage->open(path.lexically_relative(root).generic_string()));
  };
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
  auto raw = open ? open(path_) : io::open_file_source(path_.string());
  // A ".gz" is read through io's gzip reader; anything else as it is (no magic sniffing: a BSON
  // document's length may begin with gzip's magic bytes).
  if (!has_gzip_suffix(path_)) {
    source_ = std::move(raw);
    return;
  }
  stream_ = io::open_input(std::move(raw), path_.string());
  if (stream_->compression() != io::Compression::gzip)
    throw failure("{}: not a gzip file although its name ends in .gz", path_.string());
}

ByteReader::~ByteReader() = default;

std::size_t ByteReader::read(std::span<std::uint8_t> out) {
  std::size_t total = 0;
  while (total < out.size()) {
    char* at = reinterpret_cast<char*>(out.data() + total);
    std::size_t got = source_ ? source_->read(at, out.size() - total) : stream_->read(at, out.size() - total);
    if (got == 0) break;
    total += got;
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
