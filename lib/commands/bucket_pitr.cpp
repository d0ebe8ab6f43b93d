#include "commands/bucket_pitr.hpp"

#include <algorithm>
#include <optional>

#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_copy.hpp"
#include "commands/bucket_dumps.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "crypto/decrypting_random_source.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::commands {
namespace {

std::string file_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void upload_pitr_bases(Context& context, const std::string& folder, Report& report) {
  if (!uses_bucket(repository_mode(context.settings())) || !report.data.contains("backups")) return;
  auto bucket = open_bucket(context.settings(), bucket_folder(catalog::BackupKind::pitr_base));
  auto local = storage::open_posix(folder);
  for (auto& entry : report.data["backups"]) {
    std::string name = file_name(entry.value("path", ""));
    try {
      upload_checked(*local, *bucket, name, entry);
      entry["object"] = bucket->describe(name);
      context.console().info(fmt::format("uploaded {} to {}: size and SHA-256 checked", name, bucket->describe(name)));
      // The base under its other name (plain before encryption was turned on, or the reverse) is
      // replaced, as the local one was: no unencrypted base stays in the bucket, none is read instead.
      std::string other = catalog::other_pitr_base_name(name);
      bucket->remove(other);
      catalog::remove_record(*bucket, other);
    } catch (const Error& error) {
      report.errors.push_back(fmt::format("upload of {} failed (the local copy {} stays): {}", name,
                                          io::join_path(folder, name), error.what()));
      context.console().error(report.errors.back());
      report.code = ExitCode::failed;
    }
  }
}

std::optional<StoredDump> bucket_pitr_base(const config::Settings& settings, const std::string& database,
                                           crypto::KeyRing* keys) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  std::shared_ptr<storage::Storage> bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::pitr_base));
  std::string key = catalog::pitr_base_name(database);
  auto info = bucket->stat(key);
  // Encrypted, the base is "<db>-back.sql.enc"; both exist only when a run was killed between
  // writing one and removing the other, and the newer is the base.
  std::string encrypted_key = catalog::pitr_base_name(database, true);
  if (auto encrypted = bucket->stat(encrypted_key); encrypted && (!info || encrypted->mtime >= info->mtime)) {
    key = encrypted_key;
    info = encrypted;
  }
  if (!info) return std::nullopt;
  auto record = catalog::read_record(*bucket, key);
  if (!record || !record->contains("sha256") || !record->contains("size"))
    throw precondition_error("{}: no mysqlpitr record (an upload never finished, or a file not written by mysqlpitr): "
                             "it is not used as a PITR base",
                             bucket->describe(key));
  return bucket_dump(bucket, key, info->size, keys);
}

std::vector<pitr::FoundBinlog> archive_binlogs(Context& context, const std::string& folder, const std::string& prefix) {
  auto found = pitr::list_binlogs(folder, prefix, context.key_ring());
  std::vector<std::string> names;
  for (const auto& file : found) names.push_back(file.name);
  archive::refuse_replaced_encrypted(folder, names);
  return found;
}

BucketBinlogs bucket_binlogs(const config::Settings& settings, const std::string& start_file,
                             const std::vector<pitr::FoundBinlog>& local, crypto::KeyRing* keys) {
  BucketBinlogs out;
  auto start = binlog::parse_binlog_name(start_file);
  if (!uses_bucket(repository_mode(settings)) || !start) return out;
  std::shared_ptr<storage::Storage> bucket = open_bucket(settings, kBinlogBucketFolder);
  for (const auto& object : bucket->list("")) {
    if (catalog::is_record_key(object.key) || object.key.find('/') != std::string::npos) continue;
    auto name = binlog::parse_binlog_name(object.key);
    if (!name || name->prefix != start->prefix || name->sequence < start->sequence) continue;
    if (std::any_of(local.begin(), local.end(), [&](const auto& file) { return file.name == object.key; })) continue;
    // Unrecorded: an upload that never finished, or a file put there by hand; the gap check
    // refuses a chain that would need it.
    auto record = catalog::read_record(*bucket, object.key);
    if (!record || !record->contains("sha256")) continue;
    out.records.emplace(object.key, std::move(*record));
    std::string key = object.key;
    std::string url = bucket->describe(key);
    unsigned long long size = object.size;
    // An encrypted binlog: listed by the binlog it holds, read decrypted (chunk by chunk, ranged).
    const auto& recorded = out.records.at(key);
    const bool recorded_encrypted = recorded.contains("encryption_key_id");
    // Every read of the restore (the plan's, the check against the record, the replay's) reads the
    // version of the object first read: one replaced between the check and the replay fails.
    auto pin = std::make_shared<storage::VersionPin>();
    out.found.push_back({.name = key,
                         .path = url,
                         .size = recorded.value("plain_size", size),
                         .open = [bucket, key, size, url, keys, recorded_encrypted, pin] {
                           auto raw = storage::open_random(bucket, key, size, pin);
                           // Each read of the object is judged anew: it may have been replaced since the last.
                           if (recorded_encrypted && !crypto::read_header_of(*raw, url))
                             throw failure("{}: its record says it was uploaded encrypted, but it holds no encryption "
                                           "header: it was replaced since; nothing was changed",
                                           url);
                           return crypto::open_random(std::move(raw), url, keys);
                         },
                         .in_bucket = true});
  }
  return out;
}

}  // namespace mysqlpitr::commands
