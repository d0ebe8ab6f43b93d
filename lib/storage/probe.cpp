#include "storage/probe.hpp"

#include <unistd.h>

#include <chrono>

#include "core/error.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::storage {
namespace {

// Removes the probe object on every path out of probe(); a failure to remove is what probe
// reports when nothing failed before it.
class ProbeObject {
 public:
  ProbeObject(Storage& storage, std::string key) : storage_(storage), key_(std::move(key)) {}
  ~ProbeObject() {
    if (!removed_) try {
        storage_.remove(key_);
      } catch (...) {
      }
  }
  ProbeObject(const ProbeObject&) = delete;
  ProbeObject& operator=(const ProbeObject&) = delete;
  void remove() {
    storage_.remove(key_);
    removed_ = true;
  }

 private:
  Storage& storage_;
  std::string key_;
  bool removed_ = false;
};

std::string probe_text() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return fmt::format("mysqlpitr check probe, pid {}, {} ns\n", ::getpid(),
                     std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

}  // namespace

void probe(Storage& storage, const std::string& key) {
  const std::string where = storage.describe(key);
  const std::string text = probe_text();
  auto step = [&](const char* what, auto&& action) {
    try {
      action();
    } catch (const Error& error) {
      throw failure("{}: {}: {}", where, what, error.message());
    }
  };
  ProbeObject object(storage, key);
  Published published;
  step("write", [&] {
    auto writer = storage.create(key);
    writer->write(text);
    published = writer->publish();
  });
  io::Sha256 sent;
  sent.update(text);
  if (published.size != text.size() || published.sha256 != sent.hex_digest())
    throw failure("{}: write: the storage took {} bytes, not the {} sent", where, published.size, text.size());
  step("stat", [&] {
    auto info = storage.stat(key);
    if (!info) throw failure("not found after it was written");
    if (info->size != text.size()) throw failure("{} bytes after {} were written", info->size, text.size());
  });
  step("read", [&] {
    auto reader = storage.open(key);
    std::string back(text.size() + 1, '\0');
    back.resize(io::read_up_to(*reader, back.data(), back.size()));
    if (back != text) throw failure("read back {} bytes that differ from the {} written", back.size(), text.size());
  });
  step("delete", [&] { object.remove(); });
  step("delete", [&] {
    if (storage.stat(key)) throw failure("still there after it was deleted");
  });
}

}  // namespace mysqlpitr::storage
