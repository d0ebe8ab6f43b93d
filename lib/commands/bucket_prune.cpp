#include "commands/bucket_prune.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/repository.hpp"
#include "core/time.hpp"

namespace mysqlpitr::commands {
namespace {

std::vector<archive::ArchivedBinlog> bucket_binlogs(storage::Storage& bucket) {
  std::vector<archive::ArchivedBinlog> binlogs;
  for (const auto& object : bucket.list("")) {
    if (catalog::is_record_key(object.key) || object.key.find('/') != std::string::npos) continue;
    if (!binlog::parse_binlog_name(object.key)) continue;
    binlogs.push_back({object.key, bucket.describe(object.key), object.size, object.mtime});
  }
  return binlogs;
}

bool in_folders(const std::string& key, const std::vector<std::string>& folders) {
  for (const auto& folder : folders)
    if (key.starts_with(folder + "/")) return true;
  return false;
}

}  // namespace

std::optional<BinlogRetentionPlan> plan_bucket_binlog_retention(const config::Settings& settings, long long older_than_days,
                                                                long long keep_last, std::time_t now, crypto::KeyRing* keys) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  auto bucket = open_bucket(settings, kBinlogBucketFolder);
  BinlogRetentionPlan plan;
  plan.folder = bucket->describe("");
  auto bases = every_pitr_base(settings, keys);
  if (bases.empty())
    plan.notes.push_back(fmt::format("no PITR base in {} or the bucket: binlogs are kept by age only",
                                     settings.paths.pitr_base.value));
  plan.decisions = archive::decide_binlog_retention(bucket_binlogs(*bucket), bases, {now, older_than_days, keep_last});
  return plan;
}

namespace {

// Objects of MongoDB dump folders ("<folder>/backup_<date>/...") that have no record and had
// nothing written for a day: what a killed run left.
void add_unrecorded_mongo_folders(storage::Storage& bucket, const std::string& folder, BucketLeftovers& leftovers) {
  std::map<std::string, std::vector<storage::ObjectInfo>> by_dump;
  std::set<std::string> recorded;
  const std::string records = folder + "/" + catalog::kRecordFolder;
  for (auto& object : bucket.list(folder + "/")) {
    std::string rest = object.key.substr(folder.size() + 1);
    if (object.key.starts_with(records)) {
      if (rest.ends_with(".json")) recorded.insert(rest.substr(std::string(catalog::kRecordFolder).size(),
                                                               rest.size() - std::string(catalog::kRecordFolder).size() - 5));
      continue;
    }
    auto slash = rest.find('/');
    if (slash != std::string::npos) by_dump[rest.substr(0, slash)].push_back(std::move(object));
  }
  const std::time_t stale = std::time(nullptr) - std::chrono::duration_cast<std::chrono::seconds>(kStaleUploadAge).count();
  for (const auto& [name, objects] : by_dump) {
    if (recorded.contains(name)) continue;
    bool young = std::any_of(objects.begin(), objects.end(), [&](const auto& o) { return o.mtime > stale; });
    if (young) continue;
    for (const auto& object : objects) leftovers.mongo_objects.push_back(object.key);
  }
}

}  // namespace

std::optional<BucketLeftovers> plan_bucket_leftovers(const config::Settings& settings, const std::vector<std::string>& folders) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  auto bucket = open_bucket(settings, "");
  BucketLeftovers leftovers;
  leftovers.location = bucket->describe("");
  try {
    for (auto& write : bucket->list_unfinished(kStaleUploadAge))
      if (in_folders(write.key, folders)) leftovers.writes.push_back(std::move(write));
  } catch (const Error& error) {
    leftovers.warning = fmt::format("unfinished uploads not cleaned up: {}", error.what());
  }
  for (const auto& folder : folders) {
    // A MongoDB dump's record names a folder of objects, never one object.
    if (folder == bucket_folder(catalog::BackupKind::mongo)) {
      add_unrecorded_mongo_folders(*bucket, folder, leftovers);
      continue;
    }
    std::set<std::string> keys;
    for (const auto& object : bucket->list(folder + "/")) keys.insert(object.key.substr(folder.size() + 1));
    for (const auto& key : keys)
      if (catalog::is_record_key(key) && key.ends_with(".json") &&
          !keys.contains(key.substr(std::string(catalog::kRecordFolder).size(),
                                    key.size() - std::string(catalog::kRecordFolder).size() - 5)))
        leftovers.records.push_back(folder + "/" + key);
  }
  return leftovers;
}

std::string bucket_leftovers_text(const BucketLeftovers& leftovers) {
  std::string text = fmt::format("unfinished uploads in {} older than {} h: {} to abort\n", leftovers.location,
                                 kStaleUploadAge.count(), leftovers.writes.size());
  for (const auto& write : leftovers.writes)
    text += fmt::format("  abort  {}  (started {})\n", write.key, core::format_datetime(write.started));
  if (!leftovers.warning.empty()) text += "  note: " + leftovers.warning + "\n";
  for (const auto& record : leftovers.records)
    text += fmt::format("  delete {}{}  (a record whose object is gone: an interrupted prune)\n", leftovers.location, record);
  for (const auto& object : leftovers.mongo_objects)
    text += fmt::format("  delete {}{}  (a MongoDB dump folder without a record, untouched for {} h: a killed run)\n",
                        leftovers.location, object, kStaleUploadAge.count());
  return text;
}

nlohmann::json bucket_leftovers_json(const BucketLeftovers& leftovers) {
  nlohmann::json json = {{"location", leftovers.location}, {"older_than_hours", kStaleUploadAge.count()},
                         {"abort", nlohmann::json::array()}, {"stale_records", leftovers.records},
                         {"unrecorded_mongo_objects", leftovers.mongo_objects}};
  for (const auto& write : leftovers.writes)
    json["abort"].push_back({{"key", write.key}, {"started", core::format_datetime(write.started)}});
  if (!leftovers.warning.empty()) json["warning"] = leftovers.warning;
  return json;
}

void remove_bucket_binlogs(Context& context, const BinlogRetentionPlan& plan, Report& report) {
  auto bucket = open_bucket(context.settings(), kBinlogBucketFolder);
  for (const auto& decision : plan.decisions) {
    if (!decision.remove) continue;
    try {
      bucket->remove(decision.binlog.name);
      catalog::remove_record(*bucket, decision.binlog.name);
      report.data["deleted"].push_back({{"path", decision.binlog.path}, {"size", decision.binlog.size}});
      context.console().info("deleted " + decision.binlog.path);
    } catch (const Error& error) {
      report.errors.push_back(error.what());
      context.console().error(error.what());
      return;  // the archive is only trimmed from its oldest end: no later binlog goes first
    }
  }
}

void remove_bucket_leftovers(Context& context, const BucketLeftovers& leftovers, Report& report) {
  if (!leftovers.any()) return;
  auto bucket = open_bucket(context.settings(), "");
  auto attempt = [&](const std::string& key, auto remove) {
    try {
      remove();
      report.data["deleted"].push_back({{"path", bucket->describe(key)}, {"size", 0}});
      context.console().info("removed " + bucket->describe(key));
    } catch (const Error& error) {
      report.errors.push_back(error.what());
      context.console().error(error.what());
    }
  };
  for (const auto& write : leftovers.writes) attempt(write.key, [&] { bucket->remove_unfinished(write); });
  for (const auto& record : leftovers.records) attempt(record, [&] { bucket->remove(record); });
  for (const auto& object : leftovers.mongo_objects) attempt(object, [&] { bucket->remove(object); });
}

}  // namespace mysqlpitr::commands
