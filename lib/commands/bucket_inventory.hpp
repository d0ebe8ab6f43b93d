#pragma once
// The bucket's historical and schema dumps and PITR bases read as the local folders are read
// (repository.mode s3 or both): catalog entries whose path is the object's s3:// URL, joined to the
// local listings ("where": local, s3 or both), and kept or deleted by the retention prune applies
// locally (catalog::decide_retention), apart from the local copies, so a local copy never stands
// for the bucket's. A backup object counts as good only when it verifies against its record (read
// back, size and SHA-256): an unrecorded object (an upload killed before its record, a file put
// there by hand) or a rotted one never protects itself as a database's newest.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/backup_expiry.hpp"
#include "catalog/inventory.hpp"
#include "config/settings.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {

class BackupListing;

// The entries of one kind in its bucket folder (`records`: that folder's, by object key); a
// base's coordinates come from its record.
std::vector<catalog::BackupEntry> scan_bucket_kind(storage::Storage& bucket, catalog::BackupKind kind,
                                                   const std::string& date_format,
                                                   const std::map<std::string, nlohmann::json>& records = {});

// Adds `remote` (the bucket's entries) to a local listing: one entry per kind and name ("both"
// when the name is in the two places), newest first; every JSON item gets "where".
void merge_bucket_entries(BackupListing& listing, std::vector<catalog::BackupEntry> remote);

// `list bases` in modes s3/both: the bucket's PITR bases joined to the local ones.
void add_bucket_bases(const config::Settings& settings, const std::string& database, BackupListing& listing);

// `prune`: the retention decisions for the bucket's dumps of `kind` (historical or schema).
std::vector<catalog::RetentionDecision> bucket_dump_retention(const config::Settings& settings, catalog::BackupKind kind,
                                                              const catalog::RetentionRule& rule,
                                                              crypto::KeyRing* keys);

// Whether an entry is an object of the bucket, and its removal: the object first, then its
// record (listings go by objects: an interruption between leaves a stale record nobody lists,
// never a listed backup that is gone). MongoDB dump folders: bucket_mongo.hpp's order.
bool is_bucket_backup(const catalog::BackupEntry& entry);
void remove_bucket_backup(const config::Settings& settings, const catalog::BackupEntry& entry);

}  // namespace mysqlpitr::commands
