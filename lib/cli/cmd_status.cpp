// Declaration of status.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/runner.hpp"
#include "commands/status.hpp"

namespace mysqlpitr::cli {

void declare_status(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::StatusOptions>();
  auto* status = root.add_subcommand(
      "status",
      "am I protected right now? Per database the newest dump and PITR base and their ages, whether the binlogs "
      "continue from the base to now, the recovery point, the jobs' and drills' last results, and each problem with "
      "the command that fixes it. Exit 0 within the thresholds (status.max_dump_age, status.max_base_age, "
      "status.max_recovery_point), 6 warning, 7 critical");
  builder.file(status, "--prometheus", options->prometheus,
               "also write the facts to FILE in the Prometheus text format (node_exporter's textfile collector)");
  builder.on_parsed(status, [options](commands::Context& context) {
    return commands::run_command(context, commands::status_command(*options));
  });
}

}  // namespace mysqlpitr::cli
