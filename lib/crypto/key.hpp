#pragma once
// Keys for encryption at rest. A key file holds either a 32-byte key (raw, or as 64 hex digits) or
// a passphrase, which yields a key per salt through Argon2id. Keys live in memory that is locked
// against swapping where the system allows, and wiped when they are dropped.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mysqlpitr::crypto {

inline constexpr size_t kKeyBytes = 32;
inline constexpr size_t kKeyIdBytes = 16;
inline constexpr size_t kSaltBytes = 16;

using KeyId = std::array<unsigned char, kKeyIdBytes>;
using Salt = std::array<unsigned char, kSaltBytes>;

enum class Kdf : uint8_t { none = 0, argon2id = 1 };

// How a passphrase became a key: recorded in each file's header so the key can be derived again.
struct Derivation {
  Kdf kdf = Kdf::none;
  Salt salt{};
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
};

// A key ready for use: its bytes, its public id (a keyed hash of a constant: names the key in
// headers and messages without revealing it) and how it was derived.
class Key {
 public:
  Key(const unsigned char* bytes, Derivation derivation);
  ~Key();
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;

  const unsigned char* bytes() const noexcept { return bytes_.data(); }
  const KeyId& id() const noexcept { return id_; }
  const Derivation& derivation() const noexcept { return derivation_; }

 private:
  std::array<unsigned char, kKeyBytes> bytes_;
  KeyId id_{};
  Derivation derivation_;
};

// The id as people see it in messages and listings: 16 hex digits.
std::string key_id_text(const KeyId& id);

// One configured key file.
class KeyFile {
 public:
  // Reads and parses the file (its permissions are the configuration's business). An empty file,
  // or a passphrase shorter than 12 characters, is a usage error naming the file.
  static KeyFile load(const std::string& path);
  static KeyFile from_contents(std::string path, std::string contents);

  const std::string& path() const noexcept { return path_; }
  bool is_passphrase() const noexcept { return passphrase_; }

  // The key that encrypts new files: the key itself, or the passphrase derived with a fresh salt
  // (once per KeyFile: every file written in one run shares it, so readers derive once per run).
  const Key& key_for_writing();
  // The key this file gives for a header's derivation, or nullptr when its kind differs (a raw key
  // for a passphrase header). Derivations are cached per salt.
  const Key* key_for(const Derivation& derivation);

 private:
  KeyFile(std::string path, std::string secret, bool passphrase);

  std::string path_;
  std::shared_ptr<std::string> secret_;  // the raw key bytes, or the passphrase; wiped when dropped
  bool passphrase_ = false;
  std::unique_ptr<Key> writing_key_;
  std::map<Salt, std::unique_ptr<Key>> derived_;
};

// The configured key files: the first encrypts, all decrypt (old keys stay readable after a rotation).
// Safe to use from several threads (readers of one run share it; derivations are cached).
class KeyRing {
 public:
  explicit KeyRing(std::vector<KeyFile> files);
  KeyRing(KeyRing&&) = default;

  const Key& key_for_writing() {
    std::lock_guard lock(*mutex_);
    return files_.front().key_for_writing();
  }
  // The key whose id and derivation match a header; nullptr when no configured file gives it.
  const Key* find(const KeyId& id, const Derivation& derivation);
  // "KEYID (FILE), ..." for messages; passphrase files say so (their id depends on each file's salt).
  std::string describe();

 private:
  std::vector<KeyFile> files_;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

// Writes a fresh random 32-byte key as 64 hex digits to a new file (mode 0600, durable, never
// replacing an existing file); returns the key's id.
std::string write_new_key_file(const std::string& path);

}  // namespace mysqlpitr::crypto
