// Declaration of rotate-binlogs.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/rotate_binlogs.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_rotate_binlogs(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::RotateBinlogsOptions>();
  auto* command = root.add_subcommand(
      "rotate-binlogs",
      "FLUSH BINARY LOGS, then copy every closed binlog missing, torn or different in paths.binlog_archive, each copy "
      "verified (read back, SHA-256 equal to the source, read to the end) before it gets its final name; then delete "
      "archived binlogs older than retention.binlog_days that no PITR base needs. Reads the server's binlog files "
      "directly: run it on the database host. A file in the archive that it did not verify itself and that differs "
      "from the server's binlog of that name is never replaced: it is moved to .mysqlpitr-aside/ in the archive and "
      "reported (a warning, shown even with --quiet). Exit 0 only when the archive is whole");
  command->add_flag("--no-flush", options->no_flush, "archive what is closed now, without FLUSH BINARY LOGS");
  command->add_flag("--recheck", options->recheck,
                    "compare every archived copy with the server's file again, even those verified earlier");
  builder.dry_run(command, options->dry_run);
  builder.on_parsed(command,
                    [options](commands::Context& context) { return commands::run_command(context, commands::rotate_binlogs_command(*options)); });
}

}  // namespace mysqlpitr::cli
