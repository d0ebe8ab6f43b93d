#include "crypto/header.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mysqlpitr::crypto {
namespace {

constexpr uint8_t kVersion = 1;

template <typename T>
void put_le(std::string& out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

template <typename T>
T get_le(std::string_view bytes, size_t at) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}

template <size_t N>
void put_bytes(std::string& out, const std::array<unsigned char, N>& bytes) {
  out.append(reinterpret_cast<const char*>(bytes.data()), N);
}

template <size_t N>
void get_bytes(std::string_view bytes, size_t at, std::array<unsigned char, N>& out) {
  std::copy_n(reinterpret_cast<const unsigned char*>(bytes.data()) + at, N, out.begin());
}

}  // namespace

std::string serialize(const Header& header) {
  std::string out(kMagic);
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(header.derivation.kdf));
  out.append(2, '\0');
  put_le<uint32_t>(out, header.chunk_size);
  put_bytes(out, header.key_id);
  put_bytes(out, header.derivation.salt);
  put_le<uint64_t>(out, header.derivation.opslimit);
  put_le<uint64_t>(out, header.derivation.memlimit);
  put_bytes(out, header.stream_header);
  return out;
}

bool looks_encrypted(std::string_view first_bytes) { return first_bytes.starts_with(kMagic); }

Header parse_header(std::string_view bytes, const std::string& name) {
  if (bytes.size() < kHeaderBytes || !looks_encrypted(bytes))
    throw failure("{}: not an encrypted mysqlpitr file, or its header is cut", name);
  if (static_cast<uint8_t>(bytes[8]) != kVersion)
    throw failure("{}: encryption format version {} is not known to this mysqlpitr", name,
                  static_cast<unsigned>(static_cast<uint8_t>(bytes[8])));
  Header header;
  uint8_t kdf = static_cast<uint8_t>(bytes[9]);
  if (kdf > static_cast<uint8_t>(Kdf::argon2id) || bytes[10] != 0 || bytes[11] != 0)
    throw failure("{}: the encryption header is damaged (key derivation {})", name, static_cast<unsigned>(kdf));
  header.derivation.kdf = static_cast<Kdf>(kdf);
  header.chunk_size = get_le<uint32_t>(bytes, 12);
  if (header.chunk_size == 0 || header.chunk_size > kMaxChunk)
    throw failure("{}: the encryption header is damaged (chunk size {})", name, header.chunk_size);
  get_bytes(bytes, 16, header.key_id);
  get_bytes(bytes, 32, header.derivation.salt);
  header.derivation.opslimit = get_le<uint64_t>(bytes, 48);
  header.derivation.memlimit = get_le<uint64_t>(bytes, 56);
  get_bytes(bytes, 64, header.stream_header);
  return header;
}

}  // namespace mysqlpitr::crypto
