// Declaration of backup.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/backup.hpp"

namespace mysqlpitr::cli {

void declare_backup(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::BackupOptions>();
  auto* backup = root.add_subcommand(
      "backup",
      "write backups with the legacy names: historical (<db>-back_<date>.sql.gz per database), schema "
      "(back-no-data_<date>.sql.gz), pitr-base (<db>-back.sql with its binlog coordinates); databases in "
      "mysql.exclude are skipped. Files appear under their final name only when complete");
  std::vector<std::string> kinds;
  for (const auto& kind : commands::backup_kinds()) kinds.push_back(kind.name);
  kinds.push_back("all");
  builder.choice(backup, "--kind", options->kind, kinds, "what to back up (default historical)");
  backup->add_option("--db", options->databases, "only this database (repeatable)")->type_name("NAME");
  builder.setting(backup, "--jobs", "backup.jobs", 1, 64,
                  "parallel connections and compression threads (default backup.jobs)");
  builder.choice(backup, "--compression", options->compression, {"gzip", "zstd", "none"},
                 "compression of historical and schema dumps (default backup.compression)");
  builder.setting(backup, "--level", "backup.level", 0, 19,
                  "compression level: gzip 1-9, zstd 1-19 (default backup.level)");
  backup->add_flag("--gzip", options->gzip, "mongo: gzip each file (.bson.gz, .metadata.json.gz) like mongodump --gzip");
  builder.dry_run(backup, options->dry_run);
  builder.on_parsed(backup, [options](commands::Context& context) { return commands::run_backup(context, *options); });
}

}  // namespace mysqlpitr::cli
