#pragma once
// What the bucket holds about each backup object, as the local manifest does for a folder: one
// JSON entry per object (size, SHA-256, coordinates, databases... the fields of the local
// manifest's entries, so dump::check_file-style checks read both alike). A bucket has no rename
// and no lock, so there is no shared manifest to rewrite: each object has a record object of its
// own, ".mysqlpitr-records/<key>.json" in the same storage, written only after the object itself
// is whole. An object without a record is unrecorded (a killed run, or one uploaded by hand); a
// record whose object is gone is stale and ignored. No legacy glob matches the records' folder.
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/storage.hpp"

namespace mysqlpitr::catalog {

inline constexpr const char* kRecordFolder = ".mysqlpitr-records/";

// The key of the record of `key`, and whether a key is a record (listings skip those).
std::string record_key(const std::string& key);
bool is_record_key(const std::string& key);

// Writes (replaces) the record of `key`.
void write_record(storage::Storage& storage, const std::string& key, const nlohmann::json& entry);
// The record of `key`, if there is one; a record that is not JSON is an error naming it.
std::optional<nlohmann::json> read_record(storage::Storage& storage, const std::string& key);
// Every record under `prefix` (of the objects' keys), by object key.
std::map<std::string, nlohmann::json> read_records(storage::Storage& storage, const std::string& prefix = "");
// Removes the record of `key` (none: not an error).
void remove_record(storage::Storage& storage, const std::string& key);

}  // namespace mysqlpitr::catalog
