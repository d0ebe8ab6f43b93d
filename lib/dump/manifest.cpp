#include "dump/manifest.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/file_check.hpp"
#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {
namespace {

io::RunLock manifest_lock(const std::string& folder) {
  return io::RunLock::wait_for(folder, "manifest", "manifest update");
}

// The folder's files through the storage layer (its posix driver); null when there is no folder.
std::unique_ptr<storage::Storage> open_folder(const std::string& folder) {
  if (!io::is_folder(folder.empty() ? "." : folder)) return nullptr;
  return storage::open_posix(folder.empty() ? "." : folder);
}

nlohmann::json load_files(storage::Storage& files) {
  if (!files.stat(kManifestName)) {
    // Absent, or something other than a regular file holds its name (a link, a FIFO): never read.
    if (io::stat_entry(files.describe(kManifestName)))
      throw failure("{} is not a regular file (a link?): not read; move it away", files.describe(kManifestName));
    return nlohmann::json::object();
  }
  try {
    nlohmann::json document = nlohmann::json::parse(storage::read_whole(files, kManifestName));
    if (!document.contains("files") || !document["files"].is_object())
      throw failure("{} has no \"files\" object", files.describe(kManifestName));
    return document["files"];
  } catch (const nlohmann::json::exception& error) {
    throw failure("cannot read manifest {}: {}", files.describe(kManifestName), error.what());
  }
}

// Every manifest write holds the manifest lock: a temporary manifest found then was left by a
// writer that was killed, and would otherwise stay for good (no backup kind claims it). Best
// effort, after the new manifest is in place: a leftover that cannot be removed now is removed by
// a later write, and never fails this one.
void remove_killed_writes(storage::Storage& files) noexcept {
  const std::string temp_prefix = "." + std::string(kManifestName) + std::string(io::kTempMarker);
  try {
    for (const auto& entry : storage::entries_of(files.list_level("")))
      if (entry.kind == storage::LevelEntry::Kind::object && entry.key.starts_with(temp_prefix)) files.remove(entry.key);
  } catch (const std::exception&) {
  }
}

// Sets (or, with a null entry, removes) the entry of `file_name`, dropping entries whose files no
// longer exist. The caller holds the manifest lock.
void rewrite_manifest(storage::Storage& files, const std::string& file_name, const nlohmann::json* entry) {
  nlohmann::json recorded = load_files(files);
  if (entry) recorded[file_name] = *entry;
  else recorded.erase(file_name);
  for (auto it = recorded.begin(); it != recorded.end();) {
    if (it.key() != file_name && !files.stat(it.key()))
      it = recorded.erase(it);
    else
      ++it;
  }
  nlohmann::json document = {{"format", 1}, {"tool", "mysqlpitr"}, {"files", recorded}};
  storage::write_whole(files, kManifestName, document.dump(2) + "\n");
  remove_killed_writes(files);
}

// The entry the file now under the final name matches, kept as "replaces" while the new file takes
// its name. A run killed before its rename leaves its own entry with the earlier file's under
// "replaces": the earlier file matches the one of the two whose size (and, if both, SHA-256) it has.
// A file no manifest recorded (an old script's) is described by its own size and SHA-256, so that a
// run killed half-way never leaves the earlier good file refused.
std::optional<nlohmann::json> entry_of_earlier(storage::Storage& files, const storage::ObjectInfo& earlier,
                                               const nlohmann::json& recorded_files, bool& recorded) {
  const std::string& name = earlier.key;
  recorded = recorded_files.contains(name) && recorded_files[name].is_object();
  std::vector<nlohmann::json> candidates;
  if (recorded) {
    nlohmann::json entry = recorded_files[name];
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
  storage::Published digest;
  try {
    digest = storage::digest_object(files, name);
  } catch (const std::exception&) {
    return std::nullopt;  // an unreadable earlier file is no good backup to keep accepting
  }
  for (const auto& candidate : candidates)
    if (manifest_mismatch(candidate, {digest.size, digest.sha256, std::nullopt}).empty()) return candidate;
  if (recorded) return std::nullopt;
  return nlohmann::json{{"size", digest.size}, {"sha256", digest.sha256}, {"unrecorded", true}};
}

// Whether the file under `name` holds the bytes `entry` describes (a publish that failed after
// its rename, at the sync of the folder: the file is this run's).
bool holds_entry(storage::Storage& files, const std::string& name, const nlohmann::json& entry) {
  try {
    auto now = files.stat(name);
    if (!now || now->size != entry.value("size", 0ULL)) return false;
    return storage::digest_object(files, name).sha256 == entry.value("sha256", "");
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

nlohmann::json load_manifest(const std::string& folder) {
  auto files = open_folder(folder);
  return files ? load_files(*files) : nlohmann::json::object();
}

std::optional<nlohmann::json> manifest_entry(const std::string& folder, const std::string& file_name) {
  nlohmann::json files = load_manifest(folder);
  if (!files.contains(file_name)) return std::nullopt;
  return files[file_name];
}

void record_in_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json& entry) {
  auto files = storage::open_posix(folder);
  io::RunLock lock = manifest_lock(folder);
  rewrite_manifest(*files, file_name, &entry);
}

void publish_recorded(const std::string& folder, const std::string& name, const nlohmann::json& entry,
                      const std::function<storage::Published()>& publish) {
  auto files = storage::open_posix(folder);
  const std::string final_path = files->describe(name);
  // The lock is held from reading the earlier entry to the last rewrite: another backup writing to
  // this folder (another kind) would otherwise drop the pending entry of a file not yet renamed.
  io::RunLock lock = manifest_lock(folder);
  auto earlier = files->stat(name);
  std::optional<nlohmann::json> previous;
  bool recorded = false;
  try {
    nlohmann::json recorded_files = load_files(*files);
    if (earlier) previous = entry_of_earlier(*files, *earlier, recorded_files, recorded);
  } catch (const Error& error) {
    // An unreadable manifest checks nothing any more: the dump is kept without an entry, not lost.
    publish();
    throw failure("{} was written, but not recorded in the manifest: {}", final_path, error.what());
  }
  nlohmann::json pending = entry;
  if (previous) {
    pending["replaces"] = *previous;
    pending["replaces"].erase("replaces");
  }
  auto what_exists = [&] {
    auto now = files->stat(name);
    if (!now) return fmt::format("{} does not exist", final_path);
    if (earlier && now->size == earlier->size && now->mtime == earlier->mtime)
      return fmt::format("{} is still the earlier file of that name ({}, modified {}), unchanged", final_path,
                         core::human_size(earlier->size), core::format_datetime(earlier->mtime));
    return fmt::format("{} is a file of {}, modified {}", final_path, core::human_size(now->size),
                       core::format_datetime(now->mtime));
  };

  try {
    rewrite_manifest(*files, name, &pending);
  } catch (const std::exception& error) {
    throw failure("this run's dump was discarded: recording it in the manifest failed: {}; {}", error.what(),
                  what_exists());
  }
  try {
    publish();
  } catch (const std::exception& error) {
    if (holds_entry(*files, name, entry)) {
      // The rename was done (a later sync failed): the file and its entry stay together.
      throw failure("{} holds this run's dump and its manifest entry, but: {}", final_path, error.what());
    }
    try {
      rewrite_manifest(*files, name, previous && recorded ? &*previous : nullptr);
    } catch (const std::exception&) {
      // The pending entry also accepts the replaced file ("replaces"), so the file still matches it.
    }
    throw failure("this run's dump was discarded: {}; {}", error.what(), what_exists());
  }
  if (pending.contains("replaces")) {
    try {
      rewrite_manifest(*files, name, &entry);
    } catch (const std::exception&) {
      // The new file matches the pending entry already: only the replaced file's alternative stays.
    }
  }
}

}  // namespace mysqlpitr::dump
