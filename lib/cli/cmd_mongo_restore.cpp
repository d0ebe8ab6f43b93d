// Declaration of mongo-restore.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/mongo_restore.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_mongo_restore(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::MongoRestoreOptions>();
  auto* command = root.add_subcommand(
      "mongo-restore",
      "restore a MongoDB backup_* folder (this tool's or mongodump's --out layout, plain or gzip): every database "
      "but admin, config and local (total), or only those named with --db (partial). Each collection is dropped "
      "(unless --no-drop), created with its options, filled in unordered batches, then indexed. Shows the plan "
      "and asks SI unless --yes");
  builder.folder(command, "backup", options->backup,
                 "the backup folder, or its backup_<date> name in mongo.backup_dir (default: a menu, newest first)");
  command->add_option("--db", options->databases, "restore only this database (repeatable; admin, config and "
                                                  "local only when named)")
      ->type_name("NAME");
  command->add_flag("--no-drop", options->no_drop, "insert into existing collections instead of dropping them");
  builder.setting(command, "--jobs", "backup.jobs", 1, 64, "collections restored in parallel (default backup.jobs)");
  builder.dry_run(command, options->dry_run);
  builder.on_parsed(command, [options](commands::Context& context) {
    return commands::run_command(context, commands::mongo_restore_command(*options));
  });
}

}  // namespace mysqlpitr::cli
