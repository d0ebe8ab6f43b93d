#pragma once
// The plain header that starts every encrypted file (88 bytes, little-endian):
//   0  magic "MPITRENC"      8  format version (1)    9  key derivation (0 raw key, 1 Argon2id)
//  10  reserved (0, 0)      12  plaintext bytes per chunk (u32)
//  16  key id (16)          32  salt (16)            48  opslimit (u64)   56  memlimit (u64)
//  64  libsodium secretstream header (24)
// The whole header is the additional data of every chunk, so changing any byte of it makes the
// first chunk fail to authenticate.
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/key.hpp"

namespace mysqlpitr::crypto {

inline constexpr std::string_view kMagic = "MPITRENC";
inline constexpr size_t kHeaderBytes = 88;
inline constexpr size_t kStreamHeaderBytes = 24;
inline constexpr size_t kChunkOverhead = 17;  // secretstream's tag byte + 16-byte MAC
inline constexpr uint32_t kDefaultChunk = 64 * 1024;
inline constexpr uint32_t kMaxChunk = 16 * 1024 * 1024;

struct Header {
  uint32_t chunk_size = kDefaultChunk;
  KeyId key_id{};
  Derivation derivation;
  std::array<unsigned char, kStreamHeaderBytes> stream_header{};
};

std::string serialize(const Header& header);
// Parses a header read from `name`; a wrong magic, version or chunk size is an error naming it.
Header parse_header(std::string_view bytes, const std::string& name);
// Whether data starts like an encrypted file (the magic alone).
bool looks_encrypted(std::string_view first_bytes);

}  // namespace mysqlpitr::crypto
