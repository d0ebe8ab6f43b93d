// Declaration of restore-pitr.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/restore_flashback.hpp"
#include "commands/restore_pitr.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_restore_pitr(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::RestorePitrOptions>();
  auto* command = root.add_subcommand(
      "restore-pitr",
      "point-in-time recovery of one database: drop it, load its PITR base (<db>-back.sql), then replay that "
      "database's changes from the base's binlog coordinates up to the stop point (default: the end of the newest "
      "binlog). The event at the stop point is NOT applied (as mysqlbinlog's --stop-* options). A binlog gap, a "
      "missing base or a base without coordinates is refused with exit 5 before anything is touched. Shows the plan "
      "and asks SI unless --yes");
  command->add_option("--db", options->database, "the database to restore (menu on a terminal)")->type_name("NAME");
  command->add_option("--table", options->tables,
                      "restore only this table of the database (repeat for several): its definition, rows and "
                      "triggers from the base, then only its changes; each replaces the live table at once (RENAME "
                      "TABLE) at the end, the other tables are not touched")
      ->type_name("TABLE");
  command->add_option("--stop-datetime", options->stop_datetime,
                      "stop at the first event logged at or after this time: 'YYYY-MM-DD HH:MM:SS' in the server's time "
                      "zone, or 'YYYY-MM-DDTHH:MM:SS' with Z or +HH:MM")
      ->type_name("T");
  command->add_option("--stop-position", options->stop_position,
                      "stop before the event starting at this binlog position (a '# at N' of mariadb-binlog, or "
                      "the end of the file, e.g. from SHOW MASTER STATUS); a position inside an event is refused")
      ->type_name("FILE:POS");
  command->add_option("--stop-gtid", options->stop_gtid, "stop before the transaction with this GTID (MariaDB domain-server-sequence, MySQL "
                      "uuid:number): it is not applied, every earlier one is")->type_name("GTID");
  command->add_option("--until-binlog", options->until_binlog, "replay this binlog whole and every earlier one, no later")
      ->type_name("FILE");
  builder.file(command, "--base", options->base, "the PITR base (default: paths.pitr_base/<db>-back.sql)");
  command->add_option("--into", options->into, "restore under this database name; the original is not touched")
      ->type_name("NAME");
  command->add_flag("--replace", options->replace, "with --into: drop NAME first when it exists");
  command->add_flag("--include-ambiguous", options->include_ambiguous,
                    "apply statements that cannot be attributed to the database with certainty (listed in the plan); "
                    "without it they are refused with exit 5");
  command->add_flag("--resume", options->resume,
                    "continue an interrupted replay from its last committed transaction, without reloading the base");
  command->add_flag("--skip-binlog", options->skip_binlog,
                    "do not write the restore to the server's binary log (SET sql_log_bin=0)");
  builder.number(command, "--group-transactions", [options](long long n) { options->group_transactions = n; }, 1,
                 1000000, "transactions replayed per commit and round trip (default 1000; 1 to commit each alone)");
  command->add_flag("--flashback", options->flashback,
                    "undo the row changes of --db (or of its --table) logged since --since / --since-position, "
                    "newest first, without loading any base; the --stop-* options end the range (default: the end "
                    "of the newest binlog). Needs row events with full images; a statement-logged change or DDL on "
                    "the selection in the range, or a row changed since (a conflict), is refused with exit 5");
  command->add_option("--since", options->since,
                      "with --flashback: the range starts with the first transaction logged at or after this time "
                      "(server time zone, as --stop-datetime)")
      ->type_name("T");
  command->add_option("--since-position", options->since_position,
                      "with --flashback: the range starts at this binlog position (an event boundary)")
      ->type_name("FILE:POS");
  command->add_flag("--skip-conflicts", options->skip_conflicts,
                    "with --flashback: leave the rows changed since as they are and undo the rest");
  builder.dry_run(command, options->dry_run);
  builder.on_parsed(command, [options](commands::Context& context) {
    return commands::run_command(context, options->flashback ? commands::flashback_command(*options)
                                                             : commands::restore_pitr_command(*options));
  });
}

}  // namespace mysqlpitr::cli
