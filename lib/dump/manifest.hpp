#pragma once
// The manifest of a backup folder: one JSON entry per finished dump file (size, SHA-256, binlog
// coordinates, server version, tables, rows, duration), in `.mysqlpitr-manifest.json`, a name no
// legacy glob matches. Rewritten whole through io::AtomicFile, so a reader sees the old or the new
// version, never a torn one. Runs of different kinds share a folder and may finish at the same
// time: each update holds the folder's "manifest" lock, so no run's entry is lost.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace mysqlpitr::dump {

inline constexpr const char* kManifestName = ".mysqlpitr-manifest.json";

// The manifest's entries by file name ({} when the folder has no manifest). Throws on a corrupt one.
nlohmann::json load_manifest(const std::string& folder);

// The entry for `file_name` in `folder`, if any.
std::optional<nlohmann::json> manifest_entry(const std::string& folder, const std::string& file_name);

// Sets the entry of `file_name`, dropping entries whose files no longer exist. Safe across
// processes (the manifest lock); threads of one process serialise their calls.
void record_in_manifest(const std::string& folder, const std::string& file_name, const nlohmann::json& entry);

}  // namespace mysqlpitr::dump
