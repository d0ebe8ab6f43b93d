// Declaration of restore-historical.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/restore_historical.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_restore_historical(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::RestoreHistoricalOptions>();
  auto* command = root.add_subcommand(
      "restore-historical",
      "load one historical dump (this tool's or the old scripts' mysqldump files, gzip, zstd or plain) after "
      "reading it whole to prove it intact; with --into under another database name, leaving the original "
      "untouched. Shows the plan and asks SI unless --yes");
  builder.file(command, "file", options->file, "the dump file (default: the newest dump of --db, or a menu)");
  command->add_option("--db", options->database, "restore the newest historical dump of this database")
      ->type_name("NAME");
  command->add_option("--date", options->date, "with --db: the dump of this date (as in the file name, or its start)")
      ->type_name("DATE");
  command->add_option("--into", options->into, "restore under this database name instead")->type_name("NAME");
  builder.setting(command, "--jobs", "backup.jobs", 1, 64,
                  "connections loading table data in parallel (default backup.jobs)");
  command->add_flag("--replace", options->replace, "with --into: drop NAME first when it exists");
  command->add_flag("--skip-binlog", options->skip_binlog,
                    "do not write the load to the binary log (SET sql_log_bin=0; needs the privilege)");
  builder.dry_run(command, options->dry_run);
  builder.on_parsed(command, [options](commands::Context& context) {
    return commands::run_command(context, commands::restore_historical_command(*options));
  });
}

}  // namespace mysqlpitr::cli
