#pragma once
// The manifest of a backup folder: one JSON entry per finished dump file (size, SHA-256, binlog
// coordinates, server version, tables, rows, duration), in `.mysqlpitr-manifest.json`, a name no
// legacy glob matches. Read and rewritten whole through the storage layer's posix driver (published
// atomically), so a reader sees the old or the new version, never a torn one. Runs of different
// kinds share a folder and may finish at the same time: each update holds the folder's "manifest"
// lock, so no run's entry is lost.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/storage.hpp"

namespace mysqlpitr::dump {

inline constexpr const char* kManifestName = ".mysqlpitr-manifest.json";

// The manifest's entries by file name ({} when the folder has no manifest). Throws on a corrupt one.
nlohmann::json load_manifest(const std::string& folder);

// The entry for `file_name` in `folder`, if any.
std::optional<nlohmann::json> manifest_entry(const std::string& folder, const std::string& file_name);

// Sets the entry of `file_name`, dropping entries whose files no longer exist. Safe across
// processes (the manifest lock); threads of one process serialise their calls.
void record_in_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json& entry);

// Gives a finished file (whole and hashed in a storage writer of `folder`, not yet published) its
// name `name` and its manifest entry together, so that the file a reader finds under that name
// always matches the manifest, even when the disk fills up or the run is killed half-way:
//   1. the entry is recorded first; when it replaces a recorded file of the same name, it keeps
//      that file's entry under "replaces", which readers accept as well (dump/file_check.hpp);
//   2. `publish` gives the file its name (if it fails, the entry is rolled back);
//   3. the "replaces" alternative is dropped.
// A failure throws a message that says which file now exists under the name.
void publish_recorded(const std::string& folder, const std::string& name, const nlohmann::json& entry,
                      const std::function<storage::Published()>& publish);

}  // namespace mysqlpitr::dump
