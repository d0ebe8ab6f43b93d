// The folder operations every driver has from its object operations (a bucket's folders are only
// the '/' in its keys); the posix driver replaces both with the folder's own entries.
#include <algorithm>

#include "storage/key.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::storage {

Level Storage::list_level(const std::string& folder) {
  check_folder(folder);
  Level level;
  for (auto& object : list(folder)) {
    size_t slash = object.key.find('/', folder.size());
    if (slash == std::string::npos) {
      level.objects.push_back(std::move(object));
      continue;
    }
    std::string sub = object.key.substr(0, slash);
    if (level.folders.empty() || level.folders.back().key != sub) level.folders.push_back({sub, object.mtime});
    else level.folders.back().mtime = std::max(level.folders.back().mtime, object.mtime);
  }
  // "a-b/..." lists before "a/...": the folders in key order.
  std::sort(level.folders.begin(), level.folders.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return level;
}

std::vector<LevelEntry> entries_of(const Level& level) {
  using Kind = LevelEntry::Kind;
  std::vector<LevelEntry> entries;
  for (const auto& object : level.objects) entries.push_back({object.key, Kind::object, object.size, object.mtime});
  for (const auto& folder : level.folders) entries.push_back({folder.key, Kind::folder, 0, folder.mtime});
  for (const auto& stray : level.strays) entries.push_back({stray.key, stray.link ? Kind::link : Kind::other, 0, 0});
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return entries;
}

void Storage::remove_folder(const std::string& key) {
  check_key(key);
  for (const auto& object : list(key + "/")) remove(object.key);
}

}  // namespace mysqlpitr::storage
