// Declarations of `backup` and `verify`.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/backup.hpp"
#include "commands/verify.hpp"

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
  builder.number(backup, "--jobs", [options](long long n) { options->jobs = n; }, 1, 64,
                 "parallel connections and compression threads (default backup.jobs)");
  builder.choice(backup, "--compression", options->compression, {"gzip", "zstd", "none"},
                 "compression of historical and schema dumps (default backup.compression)");
  builder.number(backup, "--level", [options](long long n) { options->level = n; }, 0, 19,
                 "compression level: gzip 1-9, zstd 1-19 (default backup.level)");
  backup->add_flag("--gzip", options->gzip, "mongo: gzip each file (.bson.gz, .metadata.json.gz) like mongodump --gzip");
  builder.dry_run(backup, options->dry_run);
  builder.on_parsed(backup, [options](commands::Context& context) { return commands::run_backup(context, *options); });
}

void declare_verify(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::VerifyOptions>();
  auto* verify = root.add_subcommand(
      "verify",
      "check backups without restoring them: dumps (compression stream whole, dump complete, checksum equal to the "
      "manifest's), binlogs (every event read to the end with its CRC32 checksum, SHA-256 equal to rotate-binlogs' "
      "record, the sequence without gaps), MongoDB dumps. PATH is a file or a folder (default: the configured backup "
      "folders and paths.binlog_archive). Exit 1 when a check fails; exit 5 when there is nothing to verify where "
      "backups are expected (a configured folder missing or empty, as an unmounted disk looks)");
  auto* paths = verify->add_option("path", options->paths, "files or folders to check")->type_name("PATH");
  builder.hints().takes_file.insert(paths);
  builder.on_parsed(verify, [options](commands::Context& context) { return commands::run_verify(context, *options); });
}

}  // namespace mysqlpitr::cli
