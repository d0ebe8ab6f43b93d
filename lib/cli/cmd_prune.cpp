// Declaration of prune.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/prune.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {
namespace {
// Bounds a person can read: a century of days, and more copies than any folder holds.
constexpr long long kMaxDays = 36500;
constexpr long long kMaxCount = 1000000;
}  // namespace

void declare_prune(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::PruneOptions>();
  auto* prune = root.add_subcommand(
      "prune",
      "delete backups older than DAYS (date in the name, else modification time); never the newest --keep-last "
      "of each database, never a file that does not match the naming pattern, never through a symbolic link; "
      "binlogs: only archived copies, never one a PITR base still needs. Asks SI unless --yes");
  builder.number(prune, "--older-than", [options](long long n) { options->older_than_days = n; }, 0, kMaxDays,
                 "age in days (required)")
      ->required()
      ->type_name("DAYS");
  builder.choice(prune, "--what", options->what, {"historical", "schema", "mongo", "binlogs", "all"},
                 "which backups (default historical)");
  builder.setting(prune, "--keep-last", "retention.keep_last", 0, kMaxCount,
                  "always keep the newest N of each database (default retention.keep_last, 1)");
  builder.dry_run(prune, options->dry_run);
  builder.on_parsed(prune, [options](commands::Context& context) { return commands::run_command(context, commands::prune_command(*options)); });
}

}  // namespace mysqlpitr::cli
