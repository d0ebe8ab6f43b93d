#include "commands/bucket_dumps.hpp"

#include <algorithm>

#include "catalog/bucket_record.hpp"
#include "commands/bucket_copy.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/list.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "dump/manifest.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {
namespace {

// One file: uploaded, compared with its manifest entry, recorded. Returns the object's URL.
std::string store_one(storage::Storage& bucket, const std::string& folder, const std::string& name) {
  auto entry = dump::manifest_entry(folder, name);
  if (!entry)
    throw failure("{} has no entry in {}", io::join_path(folder, name), io::join_path(folder, dump::kManifestName));
  auto local = storage::open_posix(folder);
  upload_checked(*local, bucket, name, *entry);
  return bucket.describe(name);
}

}  // namespace

bool bucket_dump_kind(catalog::BackupKind kind) {
  return kind == catalog::BackupKind::historical || kind == catalog::BackupKind::schema;
}

std::vector<std::string> bucket_plan_urls(const config::Settings& settings, const DumpPlan& plan) {
  std::vector<std::string> urls;
  RepositoryMode mode = repository_mode(settings);
  // PITR bases: streamed in mode s3 like dumps; in mode both uploaded after the dump by
  // upload_pitr_bases (bucket_pitr.hpp).
  bool streamed_base = plan.catalog_kind == catalog::BackupKind::pitr_base && mode == RepositoryMode::s3;
  if ((!bucket_dump_kind(plan.catalog_kind) && !streamed_base) || !uses_bucket(mode)) return urls;
  auto bucket = open_bucket(settings, bucket_folder(plan.catalog_kind));
  for (const auto& file : plan.files) urls.push_back(bucket->describe(file.second));
  return urls;
}

std::string bucket_plan_text(const DumpPlan& plan) {
  if (plan.bucket_urls.empty()) return {};
  std::string text = plan.keep_local ? "then uploaded to the bucket (the local files are kept):\n"
                                     : "streamed straight into the bucket (nothing is kept locally):\n";
  for (const auto& url : plan.bucket_urls) text += "  " + url + "\n";
  return text;
}

void store_dumps_in_bucket(Context& context, const DumpPlan& plan, Report& report) {
  if (plan.bucket_urls.empty()) return;
  if (plan.request.destination) {  // streamed, checked and recorded by the dump itself
    for (auto& backup : report.data["backups"]) {
      backup["url"] = backup["path"];
      backup["path"] = nullptr;
    }
    return;
  }
  const config::Settings& settings = context.settings();
  auto bucket = open_bucket(settings, bucket_folder(plan.catalog_kind));
  ui::Console& console = context.console();
  for (auto& backup : report.data["backups"]) {
    std::string path = backup.value("path", "");
    std::string name = io::base_name(path);
    try {
      console.progress("uploading " + bucket->describe(name));
      std::string url = with_context(bucket->describe(name), [&] { return store_one(*bucket, plan.request.folder, name); });
      console.finish_progress();
      backup["url"] = url;
      console.info(fmt::format("uploaded {} (size and SHA-256 checked, record written)", url));
    } catch (const Error& error) {
      console.finish_progress();
      std::string message = fmt::format("upload failed: {} (the local copy {} stays)", error.what(), path);
      console.error("backup " + std::string(catalog::kind_name(plan.catalog_kind)) + ": " + message);
      report.errors.push_back(message);
      report.code = ExitCode::failed;
    }
  }
}

}  // namespace mysqlpitr::commands

namespace mysqlpitr::commands {

StoredDump bucket_dump(std::shared_ptr<storage::Storage> bucket, const std::string& key, unsigned long long size,
                       crypto::KeyRing* keys) {
  StoredDump dump;
  dump.url = bucket->describe(key);
  dump.size = size;
  dump.what = "object";
  dump.record = catalog::read_record(*bucket, key);
  dump.record_place = bucket->describe(catalog::record_key(key));
  dump.source = {dump.url,
                 [bucket, key, keys](io::Sha256* digest) { return storage::open_input(*bucket, key, digest, keys); }};
  return dump;
}

std::optional<StoredDump> bucket_dump_from_url(const config::Settings& settings, const std::string& file,
                                               crypto::KeyRing* keys) {
  if (!file.starts_with("s3://")) return std::nullopt;
  if (!uses_bucket(repository_mode(settings)))
    throw usage_error("{}: repository.mode is local; set it to s3 or both to restore from the bucket", file);
  std::string name = file.substr(file.find_last_of('/') + 1);
  for (auto kind : {catalog::BackupKind::historical, catalog::BackupKind::schema}) {
    std::shared_ptr<storage::Storage> bucket = open_bucket(settings, bucket_folder(kind));
    if (name.empty() || bucket->describe(name) != file) continue;
    auto info = bucket->stat(name);
    if (!info) throw usage_error("{}: no such object in the bucket", file);
    return bucket_dump(bucket, name, info->size, keys);
  }
  throw usage_error("{}: not a dump of the configured bucket's historical or schema folder", file);
}

std::optional<StoredDump> newest_bucket_dump(const config::Settings& settings, const std::string& database,
                                             const std::string& date, crypto::KeyRing* keys) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  std::shared_ptr<storage::Storage> bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::historical));
  std::optional<storage::ObjectInfo> best;
  std::time_t best_time = 0;
  for (const auto& object : bucket->list("")) {
    if (catalog::is_record_key(object.key) || object.key.find('/') != std::string::npos) continue;
    auto parsed = catalog::parse_historical_name(object.key, settings.backup.date_format.value);
    if (!parsed || parsed->database != database || !parsed->date_text.starts_with(date)) continue;
    std::time_t time = parsed->time.value_or(object.mtime);
    if (!best || time > best_time || (time == best_time && object.key > best->key)) {
      best = object;
      best_time = time;
    }
  }
  if (!best) return std::nullopt;
  return bucket_dump(bucket, best->key, best->size, keys);
}

}  // namespace mysqlpitr::commands

namespace mysqlpitr::commands {

void add_bucket_backups(Context& context, const std::string& database, BackupListing& listing) {
  const config::Settings& settings = context.settings();
  if (!uses_bucket(repository_mode(settings))) return;
  std::vector<catalog::BackupEntry> remote;
  for (auto kind : {catalog::BackupKind::historical, catalog::BackupKind::schema}) {
    auto bucket = open_bucket(settings, bucket_folder(kind));
    for (auto& entry : scan_bucket_kind(*bucket, kind, settings.backup.date_format.value))
      if (database.empty() || entry.database == database) remote.push_back(std::move(entry));
  }
  merge_bucket_entries(listing, std::move(remote));
}

}  // namespace mysqlpitr::commands
