#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {
namespace {

// The binlog readers read forward in windows, hopping over event bodies, and start over only at
// a stored position: one ranged GET serves a whole run of reads, a short hop is read through, and
// only a jump back or far ahead opens a new range.
class ObjectSource : public io::RandomSource {
 public:
  ObjectSource(std::shared_ptr<Storage> storage, std::string key, unsigned long long size,
               std::shared_ptr<VersionPin> pin)
      : storage_(std::move(storage)), key_(std::move(key)), size_(size), pin_(std::move(pin)) {}

  unsigned long long size() const override { return size_; }

  size_t read_at(unsigned long long offset, char* buffer, size_t size) override {
    if (offset >= size_ || size == 0) return 0;
    if (!reader_ || offset < at_ || offset - at_ > kReadThrough) {
      reader_ = storage_->open(key_, offset);
      if (pin_) pin_->check(reader_->version(), storage_->describe(key_));
      at_ = offset;
    }
    while (at_ < offset) {
      scratch_.resize(std::min<size_t>(kReadThrough, 1 << 16));
      size_t got = reader_->read(scratch_.data(), static_cast<size_t>(std::min<unsigned long long>(scratch_.size(), offset - at_)));
      if (got == 0) throw ended();
      at_ += got;
    }
    size_t got = reader_->read(buffer, static_cast<size_t>(std::min<unsigned long long>(size, size_ - offset)));
    if (got == 0) throw ended();
    at_ += got;
    return got;
  }

 private:
  static constexpr unsigned long long kReadThrough = 4ULL << 20;

  Error ended() const {
    return failure("{}: the object ends at byte {}, before the {} bytes it had when it was listed (replaced meanwhile?)",
                   storage_->describe(key_), at_, size_);
  }

  std::shared_ptr<Storage> storage_;
  std::string key_;
  unsigned long long size_;
  std::shared_ptr<VersionPin> pin_;
  std::unique_ptr<Reader> reader_;
  unsigned long long at_ = 0;
  std::vector<char> scratch_;
};

}  // namespace

void VersionPin::check(const std::string& version, const std::string& name) {
  std::lock_guard lock(mutex_);
  if (!pinned_) pinned_ = version;
  else if (*pinned_ != version)
    throw failure("{} was replaced since it was first read (version {} then, {} now): nothing read from it now is "
                  "used",
                  name, pinned_->empty() ? "unknown" : *pinned_, version.empty() ? "unknown" : version);
}

std::unique_ptr<io::RandomSource> open_random(std::shared_ptr<Storage> storage, const std::string& key,
                                              unsigned long long size, std::shared_ptr<VersionPin> pin) {
  return std::make_unique<ObjectSource>(std::move(storage), key, size, std::move(pin));
}

}  // namespace mysqlpitr::storage
