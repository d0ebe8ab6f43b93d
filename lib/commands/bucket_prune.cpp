#include "commands/bucket_prune.hpp"

#include <fmt/format.h>

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

// Every PITR base a binlog may be needed by: the local folder's and the bucket's.
std::vector<archive::PitrBase> every_base(const config::Settings& settings) {
  auto bases = archive::scan_pitr_bases(settings.paths.pitr_base.value);
  auto bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::pitr_base));
  for (const auto& entry : scan_bucket_kind(*bucket, catalog::BackupKind::pitr_base, settings.backup.date_format.value,
                                            catalog::read_records(*bucket)))
    bases.push_back({entry.path, entry.mtime, entry.coordinates});
  return bases;
}

bool in_folders(const std::string& key, const std::vector<std::string>& folders) {
  for (const auto& folder : folders)
    if (key.starts_with(folder + "/")) return true;
  return false;
}

}  // namespace

std::optional<BinlogRetentionPlan> plan_bucket_binlog_retention(const config::Settings& settings, long long older_than_days,
                                                                long long keep_last, std::time_t now) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  auto bucket = open_bucket(settings, kBinlogBucketFolder);
  BinlogRetentionPlan plan;
  plan.folder = bucket->describe("");
  auto bases = every_base(settings);
  if (bases.empty())
    plan.notes.push_back(fmt::format("no PITR base in {} or the bucket: binlogs are kept by age only",
                                     settings.paths.pitr_base.value));
  plan.decisions = archive::decide_binlog_retention(bucket_binlogs(*bucket), bases, {now, older_than_days, keep_last});
  return plan;
}

std::optional<StaleUploads> plan_stale_uploads(const config::Settings& settings, const std::vector<std::string>& folders) {
  if (!uses_bucket(repository_mode(settings))) return std::nullopt;
  auto bucket = open_bucket(settings, "");
  StaleUploads uploads;
  uploads.location = bucket->describe("");
  try {
    for (auto& write : bucket->list_unfinished(kStaleUploadAge))
      if (in_folders(write.key, folders)) uploads.writes.push_back(std::move(write));
  } catch (const Error& error) {
    uploads.warning = fmt::format("unfinished uploads not cleaned up: {}", error.what());
  }
  return uploads;
}

std::string stale_uploads_text(const StaleUploads& uploads) {
  std::string text = fmt::format("unfinished uploads in {} older than {} h: {} to abort\n", uploads.location,
                                 kStaleUploadAge.count(), uploads.writes.size());
  for (const auto& write : uploads.writes)
    text += fmt::format("  abort  {}  (started {})\n", write.key, core::format_datetime(write.started));
  if (!uploads.warning.empty()) text += "  note: " + uploads.warning + "\n";
  return text;
}

nlohmann::json stale_uploads_json(const StaleUploads& uploads) {
  nlohmann::json json = {{"location", uploads.location}, {"older_than_hours", kStaleUploadAge.count()},
                         {"abort", nlohmann::json::array()}};
  for (const auto& write : uploads.writes)
    json["abort"].push_back({{"key", write.key}, {"started", core::format_datetime(write.started)}});
  if (!uploads.warning.empty()) json["warning"] = uploads.warning;
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

void remove_stale_uploads(Context& context, const StaleUploads& uploads, Report& report) {
  if (uploads.writes.empty()) return;
  auto bucket = open_bucket(context.settings(), "");
  for (const auto& write : uploads.writes) {
    try {
      bucket->remove_unfinished(write);
      report.data["aborted_uploads"].push_back(write.key);
      context.console().info("aborted the unfinished upload of " + bucket->describe(write.key));
    } catch (const Error& error) {
      report.errors.push_back(error.what());
      context.console().error(error.what());
    }
  }
}

}  // namespace mysqlpitr::commands
