#include "io/random_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "io/fd.hpp"

namespace mysqlpitr::io {
namespace {

class FileSource : public RandomSource {
 public:
  FileSource(std::string path, std::string_view what) : path_(std::move(path)) {
    fd_ = UniqueFd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd_.valid()) throw failure("cannot open {} {}: {}", what, path_, errno_text(errno));
    struct stat info {};
    if (::fstat(fd_.get(), &info) != 0) throw failure("cannot stat {}: {}", path_, errno_text(errno));
    size_ = static_cast<unsigned long long>(info.st_size);
  }

  unsigned long long size() const override { return size_; }

  size_t read_at(unsigned long long offset, char* buffer, size_t size) override {
    for (;;) {
      ssize_t got = ::pread(fd_.get(), buffer, size, static_cast<off_t>(offset));
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) throw failure("read of {} failed at byte offset {}: {}", path_, offset, errno_text(errno));
    }
  }

 private:
  std::string path_;
  UniqueFd fd_;
  unsigned long long size_ = 0;
};

}  // namespace

std::unique_ptr<RandomSource> open_random_file(const std::string& path, std::string_view what) {
  return std::make_unique<FileSource>(path, what);
}

}  // namespace mysqlpitr::io
