#include "io/remove.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"

namespace mysqlpitr::io {
namespace {

UniqueFd open_folder(int parent, const std::string& name, const std::string& shown) {
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot open folder {}: {}", shown, errno_text(errno));
  return fd;
}

void remove_children(int folder_fd, const std::string& shown) {
  int copy = ::dup(folder_fd);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(copy), ::closedir);
  if (!dir) {
    ::close(copy);
    throw failure("cannot read folder {}: {}", shown, errno_text(errno));
  }
  std::vector<std::pair<std::string, bool>> children;
  while (dirent* item = ::readdir(dir.get())) {
    std::string name = item->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(folder_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    children.emplace_back(name, S_ISDIR(st.st_mode));
  }
  for (const auto& [name, is_dir] : children) {
    std::string child_shown = join_path(shown, name);
    if (is_dir) {
      UniqueFd child = open_folder(folder_fd, name, child_shown);
      remove_children(child.get(), child_shown);
    }
    if (::unlinkat(folder_fd, name.c_str(), is_dir ? AT_REMOVEDIR : 0) != 0)
      throw failure("cannot delete {}: {}", child_shown, errno_text(errno));
  }
}

// The folder holding `name` below `folder` ("a/b/c": folder/a/b), `leaf` set to the last segment.
// `folder` itself is the operator's (a configured folder may be a link to a mount elsewhere);
// below it no link is ever followed.
UniqueFd open_holder(const std::string& folder, const std::string& name, std::string& leaf) {
  UniqueFd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) throw failure("cannot open folder {}: {}", folder, errno_text(errno));
  std::string shown = folder;
  size_t start = 0;
  for (size_t slash = name.find('/'); slash != std::string::npos; start = slash + 1, slash = name.find('/', start)) {
    std::string segment = name.substr(start, slash - start);
    shown = join_path(shown, segment);
    dir = open_folder(dir.get(), segment, shown);
  }
  leaf = name.substr(start);
  return dir;
}

// Removing a tree takes many steps, and a run killed among them must not leave a backup's name on
// half of it (read later as a whole, smaller backup). So the folder first leaves its name for
// ".<name>.partial-XXXXXX", the name a killed write leaves: listed as unfinished, removed by the
// next prune. A name starting with '.' is internal already (an unfinished one being removed).
std::string move_out_of_name(int dir, const std::string& name, const std::string& shown) {
  if (name.starts_with(".")) return name;
  std::random_device random;
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string temp = "." + name + std::string(kTempMarker);
    for (int i = 0; i < 6; ++i) temp += alphabet[random() % alphabet.size()];
    if (!rename_no_replace(dir, name, temp, shown)) continue;
    if (::fsync(dir) != 0) throw failure("cannot sync the folder of {}: {}", shown, errno_text(errno));
    return temp;
  }
  throw failure("cannot delete {}: no free temporary name to move it to first", shown);
}

}  // namespace

void remove_file_in(const std::string& folder, const std::string& path) {
  std::string name;
  UniqueFd dir = open_holder(folder, path, name);
  std::string shown = join_path(folder, path);
  struct stat st {};
  if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    throw failure("cannot delete {}: {}", shown, errno_text(errno));
  if (!S_ISREG(st.st_mode)) throw failure("refusing to delete {}: no longer a regular file", shown);
  if (::unlinkat(dir.get(), name.c_str(), 0) != 0) throw failure("cannot delete {}: {}", shown, errno_text(errno));
}

void remove_tree_in(const std::string& folder, const std::string& path) {
  std::string name;
  UniqueFd dir = open_holder(folder, path, name);
  std::string shown = join_path(folder, path);
  open_folder(dir.get(), name, shown);  // O_NOFOLLOW: a link is refused here
  name = move_out_of_name(dir.get(), name, shown);
  UniqueFd target = open_folder(dir.get(), name, shown);
  remove_children(target.get(), shown);
  if (::unlinkat(dir.get(), name.c_str(), AT_REMOVEDIR) != 0)
    throw failure("cannot delete {}: {}", shown, errno_text(errno));
}

}  // namespace mysqlpitr::io
