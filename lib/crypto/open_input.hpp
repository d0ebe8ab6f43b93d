#pragma once
// Opens a backup that may be encrypted: an encrypted one (recognised by its header, not its name)
// is decrypted and authenticated chunk by chunk, then decompressed as io::open_input does; any
// other is read as before, so backups made before encryption was turned on stay readable.
#include <memory>
#include <string>

#include "crypto/key.hpp"
#include "io/input_stream.hpp"

namespace mysqlpitr::crypto {

// `keys` may be null (no key configured): an encrypted file is then a precondition error naming
// the key id it needs. `raw_digest` hashes the bytes as stored (encrypted), as manifests record them.
std::unique_ptr<io::InputStream> open_input(std::unique_ptr<io::ByteSource> source, std::string name, KeyRing* keys,
                                            io::Sha256* raw_digest = nullptr);
std::unique_ptr<io::InputStream> open_input(const std::string& path, KeyRing* keys, io::Sha256* raw_digest = nullptr);

// The plain bytes of a source known to be encrypted (by its name, say), authenticated chunk by
// chunk; without `keys`, or not encrypted, a precondition error naming it (and the key id it needs).
std::unique_ptr<io::ByteSource> open_decrypted(std::unique_ptr<io::ByteSource> source, std::string name, KeyRing* keys);

}  // namespace mysqlpitr::crypto
