// The options of `verify --drill` (commands/drill.hpp), declared on verify.
#include "cli/declarations.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

std::shared_ptr<commands::DrillOptions> declare_drill(CLI::App* verify) {
  auto options = std::make_shared<commands::DrillOptions>();
  auto* drill = verify->add_flag("--drill", options->requested,
                                 "restore rehearsal: restore the newest historical dump of each database (or --db) "
                                 "into a scratch database on the server, compare it with its manifest (rows and "
                                 "fingerprints per table), drop it; exit 1 when a database does not match; the "
                                 "result shows in `status`");
  drill->excludes(verify->get_option("path"));  // a drill restores the newest dumps, not named files
  verify->add_option("--db", options->databases, "with --drill: only this database (repeatable)")
      ->type_name("NAME")
      ->needs(drill);
  verify->add_flag("--pitr", options->pitr,
                   "with --drill: also restore each database from its newest PITR base and the binlogs up to the live "
                   "database's current binlog position into a second scratch database, and compare every table "
                   "(rows and fingerprints) with the live one at that position")
      ->needs(drill);
  verify->add_flag("--dry-run", options->dry_run, "with --drill: show what would be restored where")->needs(drill);
  return options;
}

commands::Report run_drill(commands::Context& context, const commands::DrillOptions& options) {
  return commands::run_command(context, commands::drill_command(options));
}

}  // namespace mysqlpitr::cli
