#include "dump/manifest.hpp"

#include <vector>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/file_check.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::dump {
namespace {

io::RunLock manifest_lock(const std::string& folder) {
  return io::RunLock::wait_for(folder, "manifest", "manifest update");
}

// Sets (or, with a null entry, removes) the entry of `file_name`, dropping entries whose files no
// longer exist. The caller holds the manifest lock.
void rewrite_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json* entry) {
  nlohmann::json files = load_manifest(folder);
  if (entry) files[file_name] = *entry;
  else files.erase(file_name);
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

void update_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json* entry) {
  io::RunLock lock = manifest_lock(folder);
  rewrite_manifest(folder, file_name, entry);
}

// The entry the file now under the final name matches, kept as "replaces" while the new file takes
// its name. A run killed before its rename leaves its own entry with the earlier file's under
// "replaces": the earlier file matches the one of the two whose size (and, if both, SHA-256) it has.
// A file no manifest recorded (an old script's) is described by its own size and SHA-256, so that a
// run killed half-way never leaves the earlier good file refused.
std::optional<nlohmann::json> entry_of_earlier(const std::string& path, const io::DirEntry& earlier,
                                               const nlohmann::json& files, const std::string& name,
                                               bool& recorded) {
  recorded = files.contains(name) && files[name].is_object();
  std::vector<nlohmann::json> candidates;
  if (recorded) {
    nlohmann::json entry = files[name];
    if (entry.contains("replaces")) candidates.push_back(entry["replaces"]);
    entry.erase("replaces");
    candidates.insert(candidates.begin(), entry);
    std::erase_if(candidates,
                  [&](const nlohmann::json& c) {
                    return !c.is_object() || !c.contains("size") || c["size"] != nlohmann::json(earlier.size);
                  });
    if (candidates.size() == 1) return candidates.front();
    if (candidates.empty()) return std::nullopt;  // it matched nothing before this run either
  }
  io::FileDigest digest;
  try {
    digest = io::digest_file(path);
  } catch (const std::exception&) {
    return std::nullopt;  // an unreadable earlier file is no good backup to keep accepting
  }
  for (const auto& candidate : candidates)
    if (manifest_mismatch(candidate, {digest.size, digest.sha256, std::nullopt}).empty()) return candidate;
  if (recorded) return std::nullopt;
  return nlohmann::json{{"size", digest.size}, {"sha256", digest.sha256}, {"unrecorded", true}};
}

}  // namespace

nlohmann::json load_manifest(const std::string& folder) {
  std::string path = io::join_path(folder, kManifestName);
  auto entry = io::stat_entry(path);
  if (!entry) return nlohmann::json::object();
  if (entry->type != io::EntryType::regular)
    throw failure("{} is not a regular file (a link?): not read; move it away", path);
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
  update_manifest(folder, file_name, &entry);
}

void publish_recorded(const std::string& final_path, const std::string& temp_path, const nlohmann::json& entry,
                      const std::function<void()>& rename) {
  const std::string folder = io::parent_path(final_path);
  const std::string name = io::base_name(final_path);
  // The lock is held from reading the earlier entry to the last rewrite: another backup writing to
  // this folder (another kind) would otherwise drop the pending entry of a file not yet renamed.
  io::RunLock lock = manifest_lock(folder);
  auto earlier = io::stat_entry(final_path);
  std::optional<nlohmann::json> previous;
  bool recorded = false;
  try {
    nlohmann::json files = load_manifest(folder);
    if (earlier) previous = entry_of_earlier(final_path, *earlier, files, name, recorded);
  } catch (const Error& error) {
    // An unreadable manifest checks nothing any more: the dump is kept without an entry, not lost.
    rename();
    throw failure("{} was written, but not recorded in the manifest: {}", final_path, error.what());
  }
  nlohmann::json pending = entry;
  if (previous) {
    pending["replaces"] = *previous;
    pending["replaces"].erase("replaces");
  }
  auto what_exists = [&] {
    auto now = io::stat_entry(final_path);
    if (!now) return fmt::format("{} does not exist", final_path);
    if (earlier && now->size == earlier->size && now->mtime == earlier->mtime)
      return fmt::format("{} is still the earlier file of that name ({}, modified {}), unchanged", final_path,
                         core::human_size(earlier->size), core::format_datetime(earlier->mtime));
    return fmt::format("{} is a file of {}, modified {}", final_path, core::human_size(now->size),
                       core::format_datetime(now->mtime));
  };

  try {
    rewrite_manifest(folder, name, &pending);
  } catch (const std::exception& error) {
    throw failure("this run's dump was discarded: recording it in the manifest failed: {}; {}", error.what(),
                  what_exists());
  }
  auto renamed = io::file_identity(temp_path);
  try {
    rename();
  } catch (const std::exception& error) {
    if (renamed && io::file_identity(final_path) == renamed) {
      // The rename was done (a later fsync failed): the file and its entry stay together.
      throw failure("{} holds this run's dump and its manifest entry, but: {}", final_path, error.what());
    }
    try {
      rewrite_manifest(folder, name, previous && recorded ? &*previous : nullptr);
    } catch (const std::exception&) {
      // The pending entry also accepts the replaced file ("replaces"), so the file still matches it.
    }
    throw failure("this run's dump was discarded: {}; {}", error.what(), what_exists());
  }
  if (pending.contains("replaces")) {
    try {
      rewrite_manifest(folder, name, &entry);
    } catch (const std::exception&) {
      // The new file matches the pending entry already: only the replaced file's alternative stays.
    }
  }
}

}  // namespace mysqlpitr::dump
