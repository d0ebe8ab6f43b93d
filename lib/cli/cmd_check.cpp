// Declaration of check.
#include "cli/declarations.hpp"
#include "commands/check.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_check(CLI::App& root, Builder& builder) {
  auto* check = root.add_subcommand(
      "check",
      "preflight: connection, privileges, log_bin, binlog_format, folders writable, binlogs readable; exit 5 "
      "when something needed is missing");
  builder.on_parsed(check, [](commands::Context& context) { return commands::run_command(context, commands::check_command({})); });
}

}  // namespace mysqlpitr::cli
