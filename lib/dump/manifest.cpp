#include "dump/manifest.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"

namespace mysqlpitr::dump {
nlohmann::json load_manifest(const std::string& folder) {
  std::string path = io::join_path(folder, kManifestName);
  if (!io::stat_entry(path)) return nlohmann::json::object();
  try {
    nlohmann::json document = nlohmann::json::parse(io::read_file(path));
    if (!document.contains("files") || !document["files"].is_object())
      throw failure("{} has no \"files\" object", path);
    return document["files"];
  } catch (const nlohmann::json::exception& error) {
    throw failure("cannot read manifest {}: {}", path, error.what());
  }
}

std::optional<nlohmann::json> manifest_entry(const std::string& folder, const std::string& file_name) {
  nlohmann::json files = load_manifest(folder);
  if (!files.contains(file_name)) return std::nullopt;
  return files[file_name];
}

void record_in_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json& entry) {
  io::RunLock lock = io::RunLock::wait_for(folder, "manifest", "manifest update");
  nlohmann::json files = load_manifest(folder);
  files[file_name] = entry;
  for (auto it = files.begin(); it != files.end();) {
    if (it.key() != file_name && !io::stat_entry(io::join_path(folder, it.key())))
      it = files.erase(it);
    else
      ++it;
  }
  nlohmann::json document = {{"format", 1}, {"tool", "mysqlpitr"}, {"files", files}};
  io::AtomicFile file(io::join_path(folder, kManifestName), 0640);
  file.write(document.dump(2) + "\n");
  file.commit();
}

}  // namespace mysqlpitr::dump
