#include "archive/folder_storage.hpp"

#include "io/files.hpp"

namespace mysqlpitr::archive {

std::unique_ptr<storage::Storage> open_archive(const std::string& folder) {
  if (folder.empty()) return nullptr;
  if (!io::is_folder(folder)) return nullptr;
  return storage::open_posix(folder);
}

}  // namespace mysqlpitr::archive
