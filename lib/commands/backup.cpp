#include "commands/backup.hpp"

#include "commands/runner.hpp"

namespace mysqlpitr::commands {

const std::vector<BackupKindEntry>& backup_kinds() {
  static const std::vector<BackupKindEntry> kinds = {
      {"historical", true, backup_historical_command},
      {"schema", true, backup_schema_command},
      {"pitr-base", true, backup_pitr_base_command},
      {"mongo", false, backup_mongo_command},
  };
  return kinds;
}

namespace {

int severity(ExitCode code) {
  switch (code) {
    case ExitCode::ok: return 0;
    case ExitCode::partial: return 1;
    default: return 2;
  }
}

}  // namespace

Report run_backup(Context& context, const BackupOptions& options) {
  std::vector<const BackupKindEntry*> selected;
  for (const auto& kind : backup_kinds())
    if (options.kind == kind.name || (options.kind == "all" && kind.in_all)) selected.push_back(&kind);
  if (selected.empty()) {
    std::string names;
    for (const auto& kind : backup_kinds()) names += std::string(kind.name) + ", ";
    throw usage_error("--kind: unknown kind '{}' ({}or all)", options.kind, names);
  }
  if (selected.size() == 1) return run_command(context, selected.front()->command(options));

  // --kind all: every kind runs even when an earlier one failed; the result says which did what.
  Report report;
  report.data["backups"] = nlohmann::json::array();
  bool any_done = false;
  ExitCode worst = ExitCode::ok;
  for (const BackupKindEntry* kind : selected) {
    try {
      Report part = run_command(context, kind->command(options));
      for (auto& backup : part.data["backups"]) report.data["backups"].push_back(backup);
      report.data["kinds"][kind->name] = part.data;
      report.errors.insert(report.errors.end(), part.errors.begin(), part.errors.end());
      any_done = any_done || !part.data["backups"].empty();
      if (severity(part.code) > severity(worst)) worst = part.code;
    } catch (const Error& error) {
      std::string message = fmt::format("backup {}: {}", kind->name, error.what());
      context.console().error(message);
      report.errors.push_back(message);
      report.data["kinds"][kind->name] = {{"error", message}};
      worst = severity(worst) >= 2 ? worst : error.code();
    }
  }
  report.code = worst == ExitCode::ok ? ExitCode::ok : any_done ? ExitCode::partial : worst;
  return report;
}

}  // namespace mysqlpitr::commands
