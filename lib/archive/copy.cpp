#include "archive/copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <optional>
#include <vector>

#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "crypto/encrypting_sink.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"

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

ReadToEnd read_to_end(binlog::FileReader& reader) {
  ReadToEnd result;
  while (reader.next()) ++result.events;
  if (reader.position() != reader.file_size())
    throw failure("{}: the reader stopped at byte {} of {}", reader.path(), reader.position(), reader.file_size());
  result.checksums = reader.format().checksum == binlog::ChecksumAlg::crc32;
  return result;
}

// The bytes of a source from its start; a decrypting source authenticates every chunk on the way.
io::FileDigest digest_source(io::RandomSource& source) {
  io::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  unsigned long long offset = 0;
  while (size_t got = source.read_at(offset, buffer.data(), buffer.size())) {
    hash.update(std::string_view(buffer.data(), got));
    offset += got;
  }
  return {offset, hash.hex_digest()};
}

// The size of the archive's object `name`; throws naming it when it is not there (a link or another
// non-file under the name is no object of the archive).
unsigned long long archived_size(storage::Storage& archive, const std::string& name) {
  auto object = archive.stat(name);
  if (!object)
    throw failure("{} is not there, or not a regular file (removed or replaced meanwhile?)", archive.describe(name));
  return object->size;
}

// An archived object by offset, decrypted when it is encrypted.
std::unique_ptr<io::RandomSource> open_archived(const std::shared_ptr<storage::Storage>& archive, const std::string& name,
                                                crypto::KeyRing* keys) {
  return crypto::open_random(storage::open_random(archive, name, archived_size(*archive, name)),
                             archive->describe(name), keys);
}

io::FileDigest digest_object(const std::shared_ptr<storage::Storage>& archive, const std::string& name) {
  return digest_source(*storage::open_random(archive, name, archived_size(*archive, name)));
}

std::optional<crypto::Header> header_of(const std::shared_ptr<storage::Storage>& archive, const std::string& name,
                                        unsigned long long size) {
  return crypto::read_header_of(*storage::open_random(archive, name, size), archive->describe(name));
}

// The record of an archived object whose stored bytes are `stored` and, when `header` says it is
// encrypted, whose plain bytes are `plain`.
VerifiedCopy record_of(storage::Storage& archive, const std::string& name, const io::FileDigest& stored,
                       const std::optional<crypto::Header>& header, const io::FileDigest& plain) {
  auto object = archive.stat(name);
  VerifiedCopy copy{stored.size, object ? object->mtime : 0, stored.sha256, std::time(nullptr)};
  if (header) {
    copy.key_id = crypto::key_id_text(header->key_id);
    copy.plain_size = plain.size;
    copy.plain_sha256 = plain.sha256;
  }
  return copy;
}

// Where the copy's bytes go: straight into the archive's writer, or through the cipher. Hashes
// what is stored.
class CopyWriter {
 public:
  CopyWriter(storage::Writer& out, crypto::KeyRing* encrypt_with) : out_(out) {
    if (encrypt_with) {
      const crypto::Key& key = encrypt_with->key_for_writing();
      key_id_ = crypto::key_id_text(key.id());
      cipher_.emplace([this](std::string_view data) { store(data); }, key);
    }
  }
  void write(std::string_view data) { cipher_ ? cipher_->write(data) : store(data); }
  void finish() {
    if (cipher_) cipher_->finish();
  }
  const std::string& key_id() const { return key_id_; }
  unsigned long long stored() const { return stored_; }
  std::string stored_sha256() { return hash_.hex_digest(); }

 private:
  void store(std::string_view data) {
    hash_.update(data);
    out_.write(data);
    stored_ += data.size();
  }

  storage::Writer& out_;
  std::optional<crypto::EncryptingSink> cipher_;
  std::string key_id_;
  io::Sha256 hash_;
  unsigned long long stored_ = 0;
};

}  // namespace

ReadToEnd read_binlog_to_end(const std::string& path, crypto::KeyRing* keys) {
  binlog::FileReader reader(path, binlog::ReaderOptions{.keys = keys});
  return read_to_end(reader);
}

std::optional<VerifiedCopy> copy_verified(const std::string& source_path, const std::shared_ptr<storage::Storage>& archive,
                                          const std::string& name, crypto::KeyRing* encrypt_with) {
  io::UniqueFd source = open_source(source_path);
  struct stat before = stat_fd(source.get(), source_path);
  ::posix_fadvise(source.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

  auto out = archive->create(name);
  CopyWriter writer(*out, encrypt_with);
  io::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  unsigned long long copied = 0;
  for (;;) {
    ssize_t got = ::read(source.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw failure("cannot read {} at byte {}: {}", source_path, copied, errno_text(errno));
    if (got == 0) break;
    std::string_view data(buffer.data(), static_cast<size_t>(got));
    hash.update(data);
    writer.write(data);
    copied += static_cast<unsigned long long>(got);
  }
  writer.finish();
  std::string source_sha256 = hash.hex_digest();
  std::string stored_sha256 = writer.stored_sha256();
  struct stat after = stat_fd(source.get(), source_path);
  if (copied != static_cast<unsigned long long>(before.st_size) || after.st_size != before.st_size ||
      after.st_mtim.tv_sec != before.st_mtim.tv_sec || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
    throw failure("{} changed while it was copied ({} bytes before, {} read, {} after): is it the active binlog?",
                  source_path, before.st_size, copied, after.st_size);

  // The copy carries the time the server closed the binlog, as listings and retention use it.
  out->set_modified(after.st_mtim.tv_sec, after.st_mtim.tv_nsec);
  // Everything below reads what the storage holds, before the copy has its name.
  const std::string shown = "the copy of " + source_path + " in " + archive->describe(name);
  auto held = [&] {
    auto bytes = out->written();
    if (!bytes) throw failure("{}: this storage cannot read a copy back before naming it", archive->describe(name));
    return bytes;
  };
  io::FileDigest reread = digest_source(*held());
  if (reread.size != writer.stored() || reread.sha256 != stored_sha256)
    throw failure("the copy of {} read back differs from what was written ({} bytes, SHA-256 {}; written {} bytes, {})",
                  source_path, reread.size, reread.sha256, writer.stored(), stored_sha256);
  VerifiedCopy verified{writer.stored(), after.st_mtim.tv_sec, stored_sha256, std::time(nullptr)};
  if (encrypt_with) {
    io::FileDigest plain = with_context("decrypting " + shown, [&] {
      return digest_source(*crypto::open_random(held(), shown, encrypt_with));
    });
    if (plain.size != copied || plain.sha256 != source_sha256)
      throw failure("the encrypted copy of {} decrypts to other bytes than the source ({} bytes, SHA-256 {}; source {} "
                    "bytes, {})",
                    source_path, plain.size, plain.sha256, copied, source_sha256);
    verified.key_id = writer.key_id();
    verified.plain_size = copied;
    verified.plain_sha256 = source_sha256;
  }
  with_context("verifying the copy of " + source_path, [&] {
    binlog::FileReader reader(shown, crypto::open_random(held(), shown, encrypt_with),
                              binlog::ReaderOptions{.keys = encrypt_with});
    read_to_end(reader);
  });
  if (!out->publish_if_absent()) return std::nullopt;
  return verified;
}

VerifiedCopy record_whole_copy(const std::shared_ptr<storage::Storage>& archive, const std::string& name, crypto::KeyRing* keys) {
  {
    binlog::FileReader reader(archive->describe(name), open_archived(archive, name, keys),
                              binlog::ReaderOptions{.keys = keys});
    read_to_end(reader);
  }
  io::FileDigest stored = digest_object(archive, name);
  auto header = header_of(archive, name, stored.size);
  return record_of(*archive, name, stored, header, header ? digest_source(*open_archived(archive, name, keys)) : stored);
}

Comparison compare_copy(const std::string& source_path, const std::shared_ptr<storage::Storage>& archive,
                        const std::string& name, crypto::KeyRing* keys) {
  { io::UniqueFd readable = open_source(source_path); }  // the helpful message when it is not readable
  io::FileDigest source = io::digest_file(source_path);
  io::FileDigest archived = digest_object(archive, name);
  auto header = header_of(archive, name, archived.size);
  Comparison result;
  result.source_sha256 = source.sha256;
  io::FileDigest plain = archived;
  if (header) {
    try {
      plain = digest_source(*open_archived(archive, name, keys));
    } catch (const Error& error) {
      if (error.code() == ExitCode::precondition) throw;  // no key reads it: not a verdict on the file
      result.archived_sha256 = "(does not decrypt: " + std::string(error.what()) + ")";
      return result;  // altered or damaged: it differs, and is set aside, never overwritten
    }
  }
  result.archived_sha256 = plain.sha256;
  result.equal = source.size == plain.size && source.sha256 == plain.sha256;
  if (result.equal) {
    binlog::FileReader reader(archive->describe(name), open_archived(archive, name, keys),
                              binlog::ReaderOptions{.keys = keys});
    read_to_end(reader);
    result.copy = record_of(*archive, name, archived, header, plain);
  }
  return result;
}

}  // namespace mysqlpitr::archive
