// Declarations of the foundation's commands: list, prune, check, config.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/check.hpp"
#include "commands/config_commands.hpp"
#include "commands/list.hpp"
#include "commands/prune.hpp"

namespace mysqlpitr::cli {
namespace {
// Bounds a person can read: a century of days, and more copies than any folder holds.
constexpr long long kMaxDays = 36500;
constexpr long long kMaxCount = 1000000;
}  // namespace

void declare_list(CLI::App& root, Builder& builder) {
  auto* list = root.add_subcommand("list", "inventories, newest first, with sizes and dates");
  list->require_subcommand(1);
  struct Kind {
    const char* name;
    const char* description;
  };
  for (Kind kind : {Kind{"backups", "historical and schema dumps (<db>-back_<date>.sql.gz, back-no-data_<date>.sql.gz)"},
                    Kind{"bases", "PITR bases (<db>-back.sql) with the binlog coordinates they start from"},
                    Kind{"databases", "databases on the server, without mysql.exclude"},
                    Kind{"mongo", "MongoDB dump folders (backup_<date>/)"}}) {
    auto options = std::make_shared<commands::ListOptions>();
    options->what = kind.name;
    auto* sub = list->add_subcommand(kind.name, kind.description);
    if (std::string(kind.name) == "backups" || std::string(kind.name) == "bases")
      sub->add_option("--db", options->database, "only this database")->type_name("NAME");
    builder.on_parsed(sub, [options](commands::Context& context) { return commands::run_list(context, *options); });
  }
  declare_list_binlogs(list, builder);
}

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
  builder.number(prune, "--keep-last", [options](long long n) { options->keep_last = n; }, 0, kMaxCount,
                 "always keep the newest N of each database (default retention.keep_last, 1)");
  builder.dry_run(prune, options->dry_run);
  builder.on_parsed(prune, [options](commands::Context& context) { return commands::run_prune(context, *options); });
}

void declare_check(CLI::App& root, Builder& builder) {
  auto* check = root.add_subcommand(
      "check",
      "preflight: connection, privileges, log_bin, binlog_format, folders writable, binlogs readable; exit 5 "
      "when something needed is missing");
  builder.on_parsed(check, [](commands::Context& context) { return commands::run_check(context, {}); });
}

void declare_config(CLI::App& root, Builder& builder) {
  auto* config = root.add_subcommand("config", "configuration helpers");
  config->require_subcommand(1);
  auto import = std::make_shared<commands::ConfigImportOptions>();
  auto* import_env = config->add_subcommand("import-env", "print the TOML equivalent of a legacy .env file");
  builder.file(import_env, "file", import->env_file, "the legacy .env file")->required();
  builder.on_parsed(import_env,
                    [import](commands::Context& context) { return commands::run_config_import_env(context, *import); });
  auto* show = config->add_subcommand("show", "every setting with its value and where it came from");
  builder.on_parsed(show, [](commands::Context& context) { return commands::run_config_show(context, {}); });
}

}  // namespace mysqlpitr::cli
