#pragma once
// One sealed chunk of an encrypted file, opened: what the sequential and the by-offset readers share.
#include <sodium.h>

#include <string>
#include <string_view>

namespace mysqlpitr::crypto {

// Authenticates `sealed` (the header bytes as additional data) and decrypts it into `plain`,
// resized to the chunk's length; `tag` receives its secretstream tag. False when it does not
// authenticate (altered, damaged, cut or out of order).
bool open_chunk(crypto_secretstream_xchacha20poly1305_state& state, std::string_view sealed,
                std::string_view header_bytes, size_t chunk_size, std::string& plain, unsigned char& tag);

}  // namespace mysqlpitr::crypto
