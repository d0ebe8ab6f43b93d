#include "storage/key.hpp"

#include <string_view>

#include "core/error.hpp"

namespace mysqlpitr::storage {

void check_key(const std::string& key) {
  bool bad = key.empty() || key.find('\0') != std::string::npos;
  size_t begin = 0;
  while (!bad) {
    size_t end = key.find('/', begin);
    std::string_view segment(key.data() + begin, (end == std::string::npos ? key.size() : end) - begin);
    bad = segment.empty() || segment == "." || segment == "..";
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  if (bad) throw failure("invalid storage key \"{}\" (relative, '/'-separated, no empty, . or .. part)", key);
}

void check_prefix(const std::string& prefix) {
  if (prefix.empty()) return;
  check_key(prefix.back() == '/' ? prefix.substr(0, prefix.size() - 1) : prefix);
}

void check_folder(const std::string& folder) {
  if (folder.empty()) return;
  if (folder.back() != '/') throw failure("invalid storage folder \"{}\" (a folder ends with '/')", folder);
  check_key(folder.substr(0, folder.size() - 1));
}

}  // namespace mysqlpitr::storage
