// The posix driver: a folder on this host, written through io::AtomicFile.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/partial_folder.hpp"
#include "io/random_source.hpp"
#include "io/remove.hpp"
#include "io/sha256.hpp"
#include "storage/key.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {
namespace {

class PosixWriter final : public Writer {
 public:
  explicit PosixWriter(const std::string& path) : file_(path) {}
  void write(std::string_view data) override {
    file_.write(data);
    digest_.update(data);
  }
  Published publish() override {
    file_.commit();
    return {file_.bytes_written(), digest_.hex_digest()};
  }
  unsigned long long bytes_written() const override { return file_.bytes_written(); }
  std::unique_ptr<io::RandomSource> written() override {
    if (::fsync(file_.fd()) != 0) throw failure("cannot sync {}: {}", file_.temp_path(), errno_text(errno));
    // Without the cached pages the reads come from the disk: what the storage holds.
    ::posix_fadvise(file_.fd(), 0, 0, POSIX_FADV_DONTNEED);
    return io::open_random_file(file_.temp_path(), "copy");
  }
  void set_modified(std::time_t seconds, long nanoseconds) override {
    struct timespec times[2] = {{0, UTIME_NOW}, {seconds, nanoseconds}};
    if (::futimens(file_.fd(), times) != 0)
      throw failure("cannot set the modification time of {}: {}", file_.temp_path(), errno_text(errno));
  }
  std::optional<Published> publish_if_absent() override {
    if (!file_.commit_if_absent()) return std::nullopt;
    return Published{file_.bytes_written(), digest_.hex_digest()};
  }

 private:
  io::AtomicFile file_;
  io::Sha256 digest_;
};

class PosixReader final : public Reader {
 public:
  PosixReader(const std::string& path, unsigned long long offset, std::optional<unsigned long long> length)
      // O_NONBLOCK: a FIFO under an object's name would otherwise hold the open until a writer came.
      : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)), offset_(offset) {
    if (!fd_.valid() && errno == ELOOP)
      throw failure("{} is a symbolic link: never followed in a storage folder", path);
    if (!fd_.valid()) throw failure("cannot open {}: {}", path, errno_text(errno));
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) throw failure("cannot stat {}: {}", path, errno_text(errno));
    if (!S_ISREG(st.st_mode)) throw failure("{} is not a regular file: never read as a stored object", path);
    auto file_size = static_cast<unsigned long long>(st.st_size);
    if (offset > file_size) throw failure("{}: offset {} is past its end ({} bytes)", path, offset, file_size);
    left_ = size_ = std::min(file_size - offset, length.value_or(file_size - offset));
  }
  size_t read(char* buffer, size_t size) override {
    size = static_cast<size_t>(std::min<unsigned long long>(size, left_));
    if (size == 0) return 0;
    for (;;) {
      ssize_t got = ::pread(fd_.get(), buffer, size, static_cast<off_t>(offset_));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw failure("cannot read {}: {}", path_, errno_text(errno));
      if (got == 0) throw failure("{} is shorter than expected (cut while being read)", path_);
      offset_ += static_cast<unsigned long long>(got);
      left_ -= static_cast<unsigned long long>(got);
      return static_cast<size_t>(got);
    }
  }
  unsigned long long size() const override { return size_; }

 private:
  std::string path_;
  io::UniqueFd fd_;
  unsigned long long offset_;
  unsigned long long size_ = 0;
  unsigned long long left_ = 0;
};

// A folder built as ".<name>.partial" beside its final place and renamed whole (io::PartialFolder),
// its sub-folders made through it so that its commit syncs them.
class PosixFolderWriter final : public FolderWriter {
 public:
  explicit PosixFolderWriter(const std::string& final_path) : partial_(checked_free(final_path)) {}

  std::unique_ptr<Writer> create(const std::string& relative) override {
    check_key(relative);
    size_t slash = relative.find('/');
    if (slash != std::string::npos && relative.find('/', slash + 1) != std::string::npos)
      throw failure("cannot create {}: one level of sub-folders only", io::join_path(partial_.final_path(), relative));
    std::string path = io::join_path(partial_.path(), relative);
    {
      std::lock_guard lock(mutex_);
      if (!created_.insert(relative).second || io::stat_entry(path))
        throw failure("cannot create {}: it already exists", io::join_path(partial_.final_path(), relative));
      if (slash != std::string::npos && folders_.insert(relative.substr(0, slash)).second)
        partial_.add_folder(relative.substr(0, slash));
    }
    return std::make_unique<PosixWriter>(path);
  }
  void publish() override { partial_.commit(); }

 private:
  static const std::string& checked_free(const std::string& final_path) {
    if (io::stat_entry(final_path)) throw precondition_error("{} already exists", final_path);
    return final_path;
  }

  io::PartialFolder partial_;
  std::mutex mutex_;
  std::set<std::string> created_;
  std::set<std::string> folders_;
};

// The final name a temp file ".<name>.partial-XXXXXX" was meant for ("" when it is not one).
std::string final_name_of_temp(const std::string& name) {
  size_t marker = name.rfind(io::kTempMarker);
  if (name.size() < 2 || name[0] != '.' || marker == std::string::npos || marker < 2) return "";
  return name.substr(1, marker - 1);
}

class PosixStorage final : public Storage {
 public:
  explicit PosixStorage(std::string root) : root_(std::move(root)) {
    if (!io::is_folder(root_))
      throw failure("storage folder {} does not exist or is not a folder", root_);
  }

  std::unique_ptr<Writer> create(const std::string& key) override {
    check_key(key);
    make_parents(key);
    return std::make_unique<PosixWriter>(path_of(key));
  }
  std::unique_ptr<Reader> open(const std::string& key, unsigned long long offset,
                               std::optional<unsigned long long> length) override {
    check_key(key);
    return std::make_unique<PosixReader>(path_of(key), offset, length);
  }
  std::vector<ObjectInfo> list(const std::string& prefix) override {
    check_prefix(prefix);
    size_t slash = prefix.rfind('/');
    std::string folder = slash == std::string::npos ? "" : prefix.substr(0, slash + 1);
    std::vector<ObjectInfo> objects;
    walk(folder, [&](const io::DirEntry& entry, const std::string& key) {
      if (key.compare(0, prefix.size(), prefix) == 0 && final_name_of_temp(entry.name).empty())
        objects.push_back({key, entry.size, entry.mtime});
    });
    std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return objects;
  }
  std::optional<ObjectInfo> stat(const std::string& key) override {
    check_key(key);
    auto entry = io::stat_entry(path_of(key));
    if (!entry || entry->type != io::EntryType::regular) return std::nullopt;
    return ObjectInfo{key, entry->size, entry->mtime};
  }
  void remove(const std::string& key) override {
    check_key(key);
    // Only a regular file, never through a link on the way (io/remove.hpp).
    if (io::stat_entry(path_of(key))) io::remove_file_in(root_, key);
  }
  Level list_level(const std::string& folder) override {
    check_folder(folder);
    Level level;
    std::string path = folder.empty() ? root_ : path_of(folder.substr(0, folder.size() - 1));
    if (!is_own_folder(folder)) return level;
    for (const auto& entry : io::list_directory(path)) {
      std::string key = folder + entry.name;
      if (entry.type == io::EntryType::regular) level.objects.push_back({key, entry.size, entry.mtime});
      else if (entry.type == io::EntryType::directory) level.folders.push_back({key, entry.mtime});
      else level.strays.push_back({key, entry.type == io::EntryType::symlink});
    }
    return level;
  }
  void remove_folder(const std::string& key) override {
    check_key(key);
    io::remove_tree_in(root_, key);
  }
  bool move_if_absent(const std::string& from, const std::string& to) override {
    check_key(from);
    check_key(to);
    if (!stat(from)) throw failure("cannot move {}: not a regular file (missing, or a link)", path_of(from));
    make_parents(to);
    if (!io::rename_no_replace(AT_FDCWD, path_of(from), path_of(to), path_of(from))) return false;
    io::fsync_directory(io::parent_path(path_of(to)));
    io::fsync_directory(io::parent_path(path_of(from)));
    return true;
  }
  std::unique_ptr<FolderWriter> create_folder(const std::string& key) override {
    check_key(key);
    make_parents(key);
    return std::make_unique<PosixFolderWriter>(path_of(key));
  }
  std::vector<UnfinishedWrite> list_unfinished(std::chrono::seconds older_than) override {
    std::time_t cutoff = std::time(nullptr) - older_than.count();
    std::vector<UnfinishedWrite> writes;
    walk("", [&](const io::DirEntry& entry, const std::string& key) {
      std::string final_name = final_name_of_temp(entry.name);
      if (!final_name.empty() && entry.mtime <= cutoff)
        writes.push_back({key.substr(0, key.size() - entry.name.size()) + final_name, key, entry.mtime});
    });
    return writes;
  }
  void remove_unfinished(const UnfinishedWrite& write) override {
    check_key(write.id);
    if (final_name_of_temp(io::base_name(write.id)).empty())
      throw failure("{} is not an unfinished write", path_of(write.id));
    remove(write.id);
  }
  std::string describe(const std::string& key) const override { return path_of(key); }

 private:
  std::string path_of(const std::string& key) const { return io::join_path(root_, key); }

  // The folders on the way to `key`, made where missing; one that is a link (or not a folder) is
  // refused: nothing is ever written through a link out of the root.
  void make_parents(const std::string& key) {
    for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
      std::string folder = path_of(key.substr(0, slash));
      if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST)
        throw failure("cannot create folder {}: {}", folder, errno_text(errno));
      auto entry = io::stat_entry(folder);
      if (!entry || entry->type != io::EntryType::directory)
        throw failure("{} is not a folder (a link or a file holds its name): move it away", folder);
    }
  }

  // Whether `relative` ("" or ending in '/') is a folder below the root, not a link to one (the
  // root itself may be a link: the operator configured it).
  bool is_own_folder(const std::string& relative) const {
    if (relative.empty()) return true;
    auto here = io::stat_entry(path_of(relative.substr(0, relative.size() - 1)));
    return here && here->type == io::EntryType::directory;
  }

  // Regular files below the folder `relative` ("" or ending in '/'), at any depth, with their keys.
  // Symbolic links are not followed: a link cannot lead a listing (or a prune) out of the root.
  template <typename Visit>
  void walk(const std::string& relative, Visit&& visit) {
    std::string folder = relative.empty() ? root_ : path_of(relative.substr(0, relative.size() - 1));
    if (!is_own_folder(relative)) return;
    for (const auto& entry : io::list_directory(folder)) {
      if (entry.type == io::EntryType::directory) walk(relative + entry.name + "/", visit);
      else if (entry.type == io::EntryType::regular) visit(entry, relative + entry.name);
    }
  }

  std::string root_;
};

}  // namespace

std::unique_ptr<Storage> open_posix(std::string root) { return std::make_unique<PosixStorage>(std::move(root)); }

}  // namespace mysqlpitr::storage
