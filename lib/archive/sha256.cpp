#include "archive/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/error.hpp"
#include "dump/checksum.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::archive {

FileDigest digest_file(const std::string& path) {
  io::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot open {}: {}", path, errno_text(errno));
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  dump::Sha256 hash;
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

}  // namespace mysqlpitr::archive
