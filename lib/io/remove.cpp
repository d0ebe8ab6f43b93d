#include "io/remove.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "core/error.hpp"
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

}  // namespace

void remove_file_in(const std::string& folder, const std::string& name) {
  UniqueFd dir = open_folder(AT_FDCWD, folder, folder);
  std::string shown = join_path(folder, name);
  struct stat st {};
  if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    throw failure("cannot delete {}: {}", shown, errno_text(errno));
  if (!S_ISREG(st.st_mode)) throw failure("refusing to delete {}: no longer a regular file", shown);
  if (::unlinkat(dir.get(), name.c_str(), 0) != 0) throw failure("cannot delete {}: {}", shown, errno_text(errno));
}

void remove_tree_in(const std::string& folder, const std::string& name) {
  UniqueFd dir = open_folder(AT_FDCWD, folder, folder);
  std::string shown = join_path(folder, name);
  UniqueFd target = open_folder(dir.get(), name, shown);  // O_NOFOLLOW: a link is refused here
  remove_children(target.get(), shown);
  if (::unlinkat(dir.get(), name.c_str(), AT_REMOVEDIR) != 0)
    throw failure("cannot delete {}: {}", shown, errno_text(errno));
}

}  // namespace mysqlpitr::io
