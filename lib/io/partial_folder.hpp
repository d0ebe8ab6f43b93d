#pragma once
// A folder that appears under its final name only once everything in it is whole and durable:
// built as ".<name>.partial" beside its final place (the catalog knows such a leftover and prune
// removes it), with sub-folders made through it; commit() syncs them, renames the folder to its
// final name without ever replacing one, and syncs the parent. Destroyed without commit(), or on
// SIGINT/SIGTERM/SIGHUP (interrupt cleanup), it is removed with everything in it.
#include <string>
#include <vector>

namespace mysqlpitr::io {

class PartialFolder {
 public:
  // Throws when the partial folder already exists (another run, or a killed one's leftover).
  explicit PartialFolder(std::string final_path);
  PartialFolder(const PartialFolder&) = delete;
  PartialFolder& operator=(const PartialFolder&) = delete;
  ~PartialFolder();

  // Makes the sub-folder `name` (one plain name) and returns its path.
  std::string add_folder(const std::string& name);
  void commit();

  const std::string& path() const noexcept { return path_; }
  const std::string& final_path() const noexcept { return final_path_; }

 private:
  std::string final_path_;
  std::string path_;
  std::vector<std::string> folders_;
  bool committed_ = false;
  int cleanup_slot_ = -1;
};

}  // namespace mysqlpitr::io
