#include "io/partial_folder.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include <cerrno>

#include "core/error.hpp"
#include "io/files.hpp"
#include "io/interrupt_cleanup.hpp"
#include "io/remove.hpp"

namespace mysqlpitr::io {

namespace {
void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0)
    throw failure("cannot create {}: {}", path, errno == EEXIST ? std::string("it already exists") : errno_text(errno));
}
}  // namespace

PartialFolder::PartialFolder(std::string final_path)
    : final_path_(std::move(final_path)),
      path_(join_path(parent_path(final_path_), "." + base_name(final_path_) + ".partial")) {
  make_folder(path_);
  cleanup_slot_ = register_temporary_tree(path_);
}

PartialFolder::~PartialFolder() {
  release_temporary(cleanup_slot_);
  if (committed_) return;
  try {
    remove_tree_in(parent_path(path_), base_name(path_));
  } catch (const std::exception&) {
    // Left as ".<name>.partial": the catalog reports it and prune removes it.
  }
}

std::string PartialFolder::add_folder(const std::string& name) {
  std::string path = join_path(path_, name);
  make_folder(path);
  folders_.push_back(path);
  return path;
}

void PartialFolder::commit() {
  for (const std::string& folder : folders_) fsync_directory(folder);
  fsync_directory(path_);
  if (!begin_commit(cleanup_slot_)) throw failure("interrupted: {} is being removed", path_);
  // RENAME_NOREPLACE: never overwrite a backup that appeared meanwhile.
  bool renamed = ::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, final_path_.c_str(), RENAME_NOREPLACE) == 0;
  int saved = errno;
  end_commit(cleanup_slot_, renamed);
  if (!renamed) throw failure("cannot rename {} to {}: {}", path_, final_path_, errno_text(saved));
  cleanup_slot_ = -1;
  committed_ = true;
  fsync_directory(parent_path(final_path_));
}

}  // namespace mysqlpitr::io
