#include "archive/manifest.hpp"

#include <nlohmann/json.hpp>

#include "archive/folder_storage.hpp"
#include "core/error.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {

Manifest Manifest::load(const std::string& folder) {
  Manifest manifest;
  manifest.folder_ = folder;
  manifest.path_ = io::join_path(folder, kManifestName);
  auto archive = open_archive(folder);
  if (!archive || !archive->stat(kManifestName)) return manifest;
  try {
    auto document = nlohmann::json::parse(storage::read_whole(*archive, kManifestName));
    for (const auto& [name, item] : document.at("copies").items()) {
      VerifiedCopy copy{item.at("size").get<unsigned long long>(), item.at("mtime").get<std::time_t>(),
                        item.at("sha256").get<std::string>(), item.value("verified_at", std::time_t{0})};
      if (item.contains("key_id")) {
        copy.key_id = item.at("key_id").get<std::string>();
        copy.plain_size = item.at("plain_size").get<unsigned long long>();
        copy.plain_sha256 = item.at("plain_sha256").get<std::string>();
      }
      manifest.copies_[name] = std::move(copy);
    }
  } catch (const std::exception&) {
    manifest.copies_.clear();  // every copy is compared with its source again
  }
  return manifest;
}

const VerifiedCopy* Manifest::find(const std::string& name) const {
  auto found = copies_.find(name);
  return found == copies_.end() ? nullptr : &found->second;
}

void Manifest::record(const std::string& name, VerifiedCopy copy) { copies_[name] = std::move(copy); }
void Manifest::forget(const std::string& name) { copies_.erase(name); }

void Manifest::save() const {
  nlohmann::json copies = nlohmann::json::object();
  for (const auto& [name, copy] : copies_) {
    copies[name] = {{"size", copy.size}, {"mtime", copy.mtime}, {"sha256", copy.sha256}, {"verified_at", copy.verified_at}};
    if (copy.encrypted())
      copies[name].update({{"key_id", copy.key_id}, {"plain_size", copy.plain_size}, {"plain_sha256", copy.plain_sha256}});
  }
  nlohmann::json document = {{"format", 1}, {"copies", copies}};
  auto archive = storage::open_posix(folder_);
  storage::write_whole(*archive, kManifestName, document.dump(1) + "\n");
}

}  // namespace mysqlpitr::archive
