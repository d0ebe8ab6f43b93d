#include "commands/binlog_expiry_plan.hpp"

#include <fmt/format.h>

#include "archive/store.hpp"
#include "catalog/bucket_record.hpp"
#include "commands/bucket_inventory.hpp"
#include "commands/repository.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {

bool BinlogRetentionPlan::any_removal() const {
  for (const auto& decision : decisions)
    if (decision.remove) return true;
  return false;
}

std::vector<archive::PitrBase> every_pitr_base(const config::Settings& settings, crypto::KeyRing* keys) {
  auto bases = archive::scan_pitr_bases(settings.paths.pitr_base.value, keys);
  if (!uses_bucket(repository_mode(settings))) return bases;
  auto bucket = open_bucket(settings, bucket_folder(catalog::BackupKind::pitr_base));
  for (const auto& entry : scan_bucket_kind(*bucket, catalog::BackupKind::pitr_base, settings.backup.date_format.value,
                                            catalog::read_records(*bucket)))
    bases.push_back({entry.path, entry.mtime, entry.coordinates});
  return bases;
}

BinlogRetentionPlan plan_binlog_retention(const config::Settings& settings, long long older_than_days, long long keep_last,
                                          std::time_t now, crypto::KeyRing* keys) {
  BinlogRetentionPlan plan;
  plan.folder = settings.paths.binlog_archive.value;
  // A base folder that is not there (a disk not mounted, a link to nowhere) hides the bases whose
  // binlogs must stay: nothing is deleted by age then. Mode s3 keeps its bases in the bucket; a
  // folder left at its built-in default that does not exist means no bases are made here.
  const auto& base_folder = settings.paths.pitr_base;
  if (repository_mode(settings) != RepositoryMode::s3 && !base_folder.value.empty() && !base_folder.from_default() &&
      !io::is_folder(base_folder.value))
    throw precondition_error("paths.pitr_base {} does not exist or is not a folder (is the backup disk mounted?): the "
                             "binlogs its PITR bases need cannot be told, so no archived binlog is deleted",
                             base_folder.value);
  auto bases = every_pitr_base(settings, keys);
  if (bases.empty())
    plan.notes.push_back(fmt::format("no PITR base in {}: binlogs are kept by age only", settings.paths.pitr_base.value));
  plan.decisions = archive::decide_binlog_retention(archive::scan_archived_binlogs(plan.folder), bases,
                                                    {now, older_than_days, keep_last});
  return plan;
}

std::string binlog_retention_text(const BinlogRetentionPlan& plan) {
  size_t count = 0;
  unsigned long long bytes = 0;
  std::string text;
  for (const auto& decision : plan.decisions) {
    if (!decision.remove) continue;
    ++count;
    bytes += decision.binlog.size;
    text += fmt::format("  delete {}  ({}, {})\n", decision.binlog.path, core::human_size(decision.binlog.size), decision.reason);
  }
  // Kept files, a run of neighbours kept for the same reason on one line.
  for (size_t i = 0; i < plan.decisions.size();) {
    if (plan.decisions[i].remove) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < plan.decisions.size() && !plan.decisions[j + 1].remove &&
           plan.decisions[j + 1].reason == plan.decisions[i].reason)
      ++j;
    std::string names = i == j ? plan.decisions[i].binlog.name
                               : fmt::format("{} .. {} ({} files)", plan.decisions[i].binlog.name, plan.decisions[j].binlog.name, j - i + 1);
    text += fmt::format("  keep   {}  ({})\n", names, plan.decisions[i].reason);
    i = j + 1;
  }
  for (const auto& note : plan.notes) text += "  note: " + note + "\n";
  return fmt::format("binlogs in {}: {} of {} to delete, {} freed\n{}", plan.folder, count, plan.decisions.size(),
                     core::human_size(bytes), text);
}

nlohmann::json binlog_retention_json(const BinlogRetentionPlan& plan) {
  nlohmann::json json = {{"folder", plan.folder}, {"delete", nlohmann::json::array()}, {"keep", nlohmann::json::array()},
                         {"notes", plan.notes}};
  for (const auto& decision : plan.decisions)
    json[decision.remove ? "delete" : "keep"].push_back(
        {{"name", decision.binlog.name}, {"path", decision.binlog.path}, {"size", decision.binlog.size}, {"reason", decision.reason}});
  return json;
}

}  // namespace mysqlpitr::commands
