// What every driver has from its object operations, for a bucket: a folder written object by
// object, and a move as a copy then a removal.
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "storage/key.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {
namespace {

class ObjectFolderWriter final : public FolderWriter {
 public:
  ObjectFolderWriter(Storage& storage, std::string key) : storage_(storage), key_(std::move(key)) {
    check_key(key_);
    if (storage_.stat(key_) || !storage_.list(key_ + "/").empty())
      throw precondition_error("{} already exists", storage_.describe(key_));
  }
  ~ObjectFolderWriter() override {
    if (published_) return;
    // Best effort: what stays (the storage unreachable) has no record, so every reader ignores it
    // and prune removes it.
    for (const auto& relative : created_) {
      try {
        storage_.remove(key_ + "/" + relative);
      } catch (...) {
      }
    }
  }

  std::unique_ptr<Writer> create(const std::string& relative) override {
    check_key(relative);
    {
      std::lock_guard lock(mutex_);
      if (!created_.insert(relative).second)
        throw failure("cannot create {}: it was written already", storage_.describe(key_ + "/" + relative));
    }
    return storage_.create(key_ + "/" + relative);
  }
  void publish() override { published_ = true; }

 private:
  Storage& storage_;
  std::string key_;
  std::mutex mutex_;
  std::set<std::string> created_;
  bool published_ = false;
};

}  // namespace

std::unique_ptr<FolderWriter> Storage::create_folder(const std::string& key) {
  return std::make_unique<ObjectFolderWriter>(*this, key);
}

bool Storage::move_if_absent(const std::string& from, const std::string& to) {
  check_key(from);
  check_key(to);
  if (stat(to) || !list(to + "/").empty()) return false;
  auto writer = create(to);
  copy_into(*this, from, *writer);
  writer->publish();
  remove(from);
  return true;
}

}  // namespace mysqlpitr::storage
