#pragma once
// What the bucket holds about each backup object, as the local manifest does for a folder: one
// JSON entry per object (size, SHA-256, coordinates, databases... the fields of the local
// manifest's entries, so dump::check_file-style checks read both alike). A bucket has no rename
// and no lock, so there is no shared manifest to rewrite: each object has a record object of its
// own, ".mysqlpitr-records/<key>.json" in the same storage. An object without a record is
// unrecorded (a killed run, or one uploaded by hand); a record whose object is gone is stale and
// ignored. No legacy glob matches the records' folder.
//
// A key may be reused (a database's PITR base), and a bucket publishes an object and writes its
// record in two requests: a failure or a kill between them would leave the new object under a
// record of the old one, refused by every reader. So publish_recorded first records the new entry
// as "pending" beside the old one, then publishes, then writes the entry alone; read_record
// returns whichever of the two describes the object the key holds.
#include <functional>
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

// Publishes an object under `key` with `entry` (its "size" and "sha256" what was written) as its
// record, in the order above; `publish` publishes the object. A published object that is not what
// `entry` describes is an error. On any error the key holds an object its record describes:
// when the key held no object before, what was published is removed with its record (a failed
// run leaves nothing); otherwise the object there, old or new, is described by the record's two
// entries. The error says which. Once the record is written the key is stat'ed again: an object
// of another size there (another host's run writing the same key meanwhile) is an error too.
storage::Published publish_recorded(storage::Storage& storage, const std::string& key, const nlohmann::json& entry,
                                    const std::function<storage::Published()>& publish);

// The record of `key`, if there is one: the entry that describes the object under the key (the
// pending one when the object is the one it describes, by size, or by SHA-256 when the two sizes
// are equal); a record that is not JSON is an error naming it.
std::optional<nlohmann::json> read_record(storage::Storage& storage, const std::string& key);
// Every record under `prefix` (of the objects' keys), by object key. A record that is not a JSON
// object is left out (its object then reads as unrecorded) and, with `unreadable`, named there with
// why, by object key.
std::map<std::string, nlohmann::json> read_records(storage::Storage& storage, const std::string& prefix = "",
                                                   std::map<std::string, std::string>* unreadable = nullptr);
// Removes the record of `key` (none: not an error).
void remove_record(storage::Storage& storage, const std::string& key);

}  // namespace mysqlpitr::catalog
