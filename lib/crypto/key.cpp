#include "crypto/key.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "crypto/sodium_init.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"

namespace mysqlpitr::crypto {
namespace {

constexpr size_t kMinPassphrase = 12;
// A header is read from a file anyone with write access to the storage may have doctored: its
// derivation cost must not let it exhaust this host's memory or time.
constexpr uint64_t kMaxOpslimit = 16;
constexpr uint64_t kMaxMemlimit = 1ULL << 30;

// Wipes a secret string when the last holder drops it.
std::shared_ptr<std::string> wiped_on_drop(std::string secret) {
  return std::shared_ptr<std::string>(new std::string(std::move(secret)), [](std::string* held) {
    sodium_memzero(held->data(), held->size());
    delete held;
  });
}

bool is_hex_key(const std::string& text) {
  return text.size() == 2 * kKeyBytes &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string trim_line_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string hex_to_bytes(const std::string& hex) {
  std::string bytes(kKeyBytes, '\0');
  size_t length = 0;
  sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(), hex.size(), nullptr,
                 &length, nullptr);
  return bytes;
}

std::unique_ptr<Key> derive(const std::string& passphrase, const Derivation& derivation, const std::string& path) {
  if (derivation.opslimit < crypto_pwhash_OPSLIMIT_MIN || derivation.opslimit > kMaxOpslimit ||
      derivation.memlimit < crypto_pwhash_MEMLIMIT_MIN || derivation.memlimit > kMaxMemlimit)
    throw failure("the key derivation recorded for {} asks for an implausible cost (opslimit {}, memlimit {})", path,
                  derivation.opslimit, derivation.memlimit);
  std::array<unsigned char, kKeyBytes> bytes{};
  if (crypto_pwhash(bytes.data(), bytes.size(), passphrase.data(), passphrase.size(), derivation.salt.data(),
                    derivation.opslimit, static_cast<size_t>(derivation.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw failure("cannot derive a key from the passphrase in {}: out of memory", path);
  auto key = std::make_unique<Key>(bytes.data(), derivation);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

}  // namespace

Key::Key(const unsigned char* bytes, Derivation derivation) : derivation_(derivation) {
  std::copy(bytes, bytes + kKeyBytes, bytes_.begin());
  sodium_mlock(bytes_.data(), bytes_.size());  // best effort: a refused lock (RLIMIT_MEMLOCK) is not fatal
  static constexpr char kIdMessage[] = "mysqlpitr key id v1";
  crypto_generichash(id_.data(), id_.size(), reinterpret_cast<const unsigned char*>(kIdMessage), sizeof kIdMessage - 1,
                     bytes_.data(), bytes_.size());
}

Key::~Key() { sodium_munlock(bytes_.data(), bytes_.size()); }

std::string key_id_text(const KeyId& id) {
  std::string text(2 * 8 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), id.data(), 8);
  text.pop_back();
  return text;
}

KeyFile::KeyFile(std::string path, std::string secret, bool passphrase)
    : path_(std::move(path)), secret_(wiped_on_drop(std::move(secret))), passphrase_(passphrase) {}

KeyFile KeyFile::load(const std::string& path) {
  return with_context("reading key file " + path, [&] { return from_contents(path, io::read_file(path)); });
}

KeyFile KeyFile::from_contents(std::string path, std::string contents) {
  ensure_sodium();
  auto held = wiped_on_drop(std::move(contents));
  if (held->size() == kKeyBytes) return KeyFile(std::move(path), *held, false);
  std::string text = trim_line_end(*held);
  auto wiped_text = wiped_on_drop(std::move(text));
  if (is_hex_key(*wiped_text)) return KeyFile(std::move(path), hex_to_bytes(*wiped_text), false);
  if (wiped_text->empty()) throw usage_error("key file {} is empty", path);
  if (wiped_text->size() < kMinPassphrase)
    throw usage_error("key file {} holds a passphrase of {} characters; use at least {} (or write a key with: "
                      "mysqlpitr config new-key FILE)",
                      path, wiped_text->size(), kMinPassphrase);
  return KeyFile(std::move(path), *wiped_text, true);
}

const Key& KeyFile::key_for_writing() {
  if (writing_key_) return *writing_key_;
  Derivation derivation;
  if (!passphrase_) {
    writing_key_ = std::make_unique<Key>(reinterpret_cast<const unsigned char*>(secret_->data()), derivation);
    return *writing_key_;
  }
  derivation.kdf = Kdf::argon2id;
  randombytes_buf(derivation.salt.data(), derivation.salt.size());
  derivation.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  derivation.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  writing_key_ = derive(*secret_, derivation, path_);
  return *writing_key_;
}

const Key* KeyFile::key_for(const Derivation& derivation) {
  if ((derivation.kdf == Kdf::argon2id) != passphrase_) return nullptr;
  if (!passphrase_) return &key_for_writing();
  if (writing_key_ && writing_key_->derivation().salt == derivation.salt) return writing_key_.get();
  auto& cached = derived_[derivation.salt];
  if (!cached) cached = derive(*secret_, derivation, path_);
  return cached.get();
}

KeyRing::KeyRing(std::vector<KeyFile> files) : files_(std::move(files)) {
  if (files_.empty()) throw usage_error("encryption needs a key file (encryption.key_file)");
}

const Key* KeyRing::find(const KeyId& id, const Derivation& derivation) {
  std::lock_guard lock(*mutex_);
  for (auto& file : files_) {
    const Key* key = file.key_for(derivation);
    if (key && key->id() == id && key->derivation().kdf == derivation.kdf) return key;
  }
  return nullptr;
}

std::string KeyRing::describe() {
  std::lock_guard lock(*mutex_);
  std::string text;
  for (auto& file : files_) {
    if (!text.empty()) text += ", ";
    text += file.is_passphrase() ? "a passphrase (" + file.path() + ")"
                                 : key_id_text(file.key_for_writing().id()) + " (" + file.path() + ")";
  }
  return text;
}

std::string write_new_key_file(const std::string& path) {
  ensure_sodium();
  std::array<unsigned char, kKeyBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(2 * kKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.back() = '\n';
  Key key(bytes.data(), Derivation{});
  sodium_memzero(bytes.data(), bytes.size());
  io::AtomicFile file(path, 0600);
  file.write(hex);
  sodium_memzero(hex.data(), hex.size());
  file.commit_new();
  return key_id_text(key.id());
}

}  // namespace mysqlpitr::crypto
