#include "io/sha256.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/error.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::io {

struct Sha256::State {
  EVP_MD_CTX* context = nullptr;
  ~State() {
    if (context) EVP_MD_CTX_free(context);
  }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  if (!state_->context || EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1)
    throw failure("cannot initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(state_->context, data.data(), data.size()) != 1) throw failure("SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->context, digest, &length) != 1) throw failure("SHA-256 finalisation failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

FileDigest digest_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot open {}: {}", path, errno_text(errno));
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  Sha256 hash;
  FileDigest result;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw failure("cannot read {} at byte {}: {}", path, result.size, errno_text(errno));
    if (got == 0) break;
    hash.update(std::string_view(buffer.data(), static_cast<size_t>(got)));
    result.size += static_cast<unsigned long long>(got);
  }
  result.sha256 = hash.hex_digest();
  return result;
}

}  // namespace mysqlpitr::io
