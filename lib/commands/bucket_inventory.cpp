#include "commands/bucket_inventory.hpp"

#include <algorithm>

#include "catalog/bucket_record.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_mongo.hpp"
#include "commands/list.hpp"
#include "commands/repository.hpp"
#include "core/time.hpp"
#include "dump/verify.hpp"

namespace mysqlpitr::commands {
namespace {

std::optional<catalog::ParsedName> parse_name(catalog::BackupKind kind, const std::string& key,
                                              const std::string& date_format) {
  switch (kind) {
    case catalog::BackupKind::historical: return catalog::parse_historical_name(key, date_format);
    case catalog::BackupKind::schema: return catalog::parse_schema_name(key, date_format);
    case catalog::BackupKind::pitr_base: return catalog::parse_pitr_base_name(key);
    default: return std::nullopt;
  }
}

// A base's coordinates as its record holds them (the backup report's entry, or the manifest's).
std::optional<catalog::BinlogCoordinates> recorded_coordinates(const nlohmann::json& record) {
  catalog::BinlogCoordinates coordinates;
  if (record.contains("coordinates") && record["coordinates"].is_object()) {
    coordinates.file = record["coordinates"].value("file", "");
    coordinates.position = record["coordinates"].value("position", 0ULL);
    coordinates.gtid = record["coordinates"].value("gtid", "");
  } else {
    coordinates.file = record.value("binlog_file", "");
    coordinates.position = record.value("binlog_position", 0ULL);
  }
  if (coordinates.file.empty()) return std::nullopt;
  return coordinates;
}

nlohmann::json item_of(const catalog::BackupEntry& entry) {
  nlohmann::json item = {{"kind", catalog::kind_name(entry.kind)}, {"database", entry.database}, {"path", nullptr},
                         {"url", entry.path}, {"size", entry.size}, {"time", core::format_datetime(entry.time)},
                         {"time_source", entry.time_from_name ? "name" : "mtime"}, {"encrypted", entry.encrypted}};
  if (entry.coordinates) item["coordinates"] = {{"file", entry.coordinates->file}, {"position", entry.coordinates->position}};
  return item;
}

// Newest first across both places, the JSON items and places in the same order as the entries.
void sort_listing(BackupListing& listing) {
  std::vector<size_t> order(listing.entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto &x = listing.entries[a], &y = listing.entries[b];
    return x.time != y.time ? x.time > y.time : x.name > y.name;
  });
  BackupListing sorted = listing;
  for (size_t i = 0; i < order.size(); ++i) {
    sorted.entries[i] = listing.entries[order[i]];
    sorted.items[i] = listing.items[order[i]];
    sorted.where[i] = listing.where[order[i]];
  }
  listing = std::move(sorted);
}

}  // namespace

std::vector<catalog::BackupEntry> scan_bucket_kind(storage::Storage& bucket, catalog::BackupKind kind,
                                                   const std::string& date_format,
                                                   const std::map<std::string, nlohmann::json>& records) {
  std::vector<catalog::BackupEntry> entries;
  for (const auto& object : bucket.list("")) {
    if (catalog::is_record_key(object.key) || object.key.find('/') != std::string::npos) continue;
    auto parsed = parse_name(kind, object.key, date_format);
    if (!parsed) continue;
    catalog::BackupEntry entry;
    entry.kind = kind;
    entry.database = parsed->database;
    entry.date_text = parsed->date_text;
    entry.encrypted = parsed->encrypted;
    entry.name = object.key;
    entry.folder = bucket.describe("");
    entry.path = bucket.describe(object.key);
    entry.size = object.size;
    entry.mtime = object.mtime;
    entry.time_from_name = parsed->time.has_value();
    entry.time = parsed->time.value_or(object.mtime);
    // Coordinates only from a record of this object (its size): prune keeps the binlogs from them
    // on, and a record swapped for another base's would let it delete those this base needs. A
    // base without them keeps every binlog.
    if (auto record = records.find(object.key); record != records.end() && kind == catalog::BackupKind::pitr_base &&
                                               record->second.value("size", 0ULL) == object.size)
      entry.coordinates = recorded_coordinates(record->second);
    entries.push_back(std::move(entry));
  }
  return entries;
}

void merge_bucket_entries(BackupListing& listing, std::vector<catalog::BackupEntry> remote) {
  if (listing.where.size() != listing.entries.size()) listing.where.assign(listing.entries.size(), "local");
  for (auto& entry : remote) {
    auto local = std::find_if(listing.entries.begin(), listing.entries.end(),
                              [&](const auto& e) { return e.kind == entry.kind && e.name == entry.name; });
    if (local != listing.entries.end()) {
      size_t i = static_cast<size_t>(local - listing.entries.begin());
      listing.where[i] = "both";
      listing.items[i]["url"] = entry.path;
      continue;
    }
    listing.items.push_back(item_of(entry));
    listing.entries.push_back(std::move(entry));
    listing.where.push_back("s3");
  }
  for (size_t i = 0; i < listing.items.size(); ++i) listing.items[i]["where"] = listing.where[i];
  sort_listing(listing);
}

void add_bucket_bases(const config::Settings& settings, const std::string& database, BackupListing& listing) {
  if (!uses_bucket(repository_mode(settings))) return;
  auto bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::pitr_base));
  auto entries = scan_bucket_kind(*bucket, catalog::BackupKind::pitr_base, settings.backup.date_format.value,
                                  catalog::read_records(*bucket));
  std::erase_if(entries, [&](const auto& entry) { return !database.empty() && entry.database != database; });
  merge_bucket_entries(listing, std::move(entries));
}

std::vector<catalog::RetentionDecision> bucket_dump_retention(const config::Settings& settings, catalog::BackupKind kind,
                                                              const catalog::RetentionRule& rule,
                                                              crypto::KeyRing* keys) {
  if (!uses_bucket(repository_mode(settings))) return {};
  auto bucket = open_bucket(settings, bucket_folder(kind));
  auto records = catalog::read_records(*bucket);
  auto entries = scan_bucket_kind(*bucket, kind, settings.backup.date_format.value);
  if (entries.empty()) return {};
  catalog::sort_newest_first(entries);
  // A dump counts as one of the newest only when it verifies as `verify` reads it back (size and
  // SHA-256 against its record, stream whole): a rotted newest object must not let prune delete the
  // older sound ones. Only read for the few newest of a database that has something to delete.
  return catalog::decide_retention(std::move(entries), rule, [&](const catalog::BackupEntry& entry) -> std::string {
    auto record = records.find(entry.name);
    if (record == records.end()) return "no mysqlpitr record (an upload never finished, or not uploaded by mysqlpitr)";
    if (record->second.value("size", 0ULL) != entry.size)
      return fmt::format("{} bytes, its record says {}", entry.size, record->second.value("size", 0ULL));
    dump::DumpVerification result =
        dump::verify_dump_stream(entry.path, entry.size, record->second,
                                 [&](io::Sha256* digest) { return storage::open_input(*bucket, entry.name, digest, keys); });
    if (result.ok) return {};
    std::string prefix = entry.path + ": ";
    return result.problem.starts_with(prefix) ? result.problem.substr(prefix.size()) : result.problem;
  });
}

bool is_bucket_backup(const catalog::BackupEntry& entry) { return entry.path.starts_with("s3://"); }

void remove_bucket_backup(const config::Settings& settings, const catalog::BackupEntry& entry) {
  if (entry.kind == catalog::BackupKind::mongo) return remove_bucket_mongo_dump(settings, entry);
  auto bucket = open_bucket(settings, bucket_folder(entry.kind));
  bucket->remove(entry.name);
  catalog::remove_record(*bucket, entry.name);
}

}  // namespace mysqlpitr::commands
