#include "crypto/key_lookup.hpp"

#include "core/error.hpp"

namespace mysqlpitr::crypto {

const Key& key_for_header(KeyRing* keys, const Header& header, const std::string& name) {
  if (!keys)
    throw precondition_error("{} is encrypted with key {}: set encryption.key_file (or encryption.old_key_files) to "
                             "the key file holding it",
                             name, key_id_text(header.key_id));
  const Key* key = keys->find(header.key_id, header.derivation);
  if (!key) {
    std::string needed = header.derivation.kdf == Kdf::argon2id ? "a passphrase key" : "key";
    throw precondition_error("{} was encrypted with {} {}, which no configured key file gives (configured: {})", name,
                             needed, key_id_text(header.key_id), keys->describe());
  }
  return *key;
}

}  // namespace mysqlpitr::crypto
