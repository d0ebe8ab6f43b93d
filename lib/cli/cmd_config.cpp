// Declaration of `config import-env` and `config show`.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/config_commands.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_config(CLI::App& root, Builder& builder) {
  auto* config = root.add_subcommand("config", "configuration helpers");
  config->require_subcommand(1);
  auto import = std::make_shared<commands::ConfigImportOptions>();
  auto* import_env = config->add_subcommand("import-env", "print the TOML equivalent of a legacy .env file");
  builder.file(import_env, "file", import->env_file, "the legacy .env file")->required();
  builder.on_parsed(import_env,
                    [import](commands::Context& context) { return commands::run_command(context, commands::config_import_env_command(*import)); });
  auto* show = config->add_subcommand("show", "every setting with its value and where it came from");
  // The settings other commands take as options, so that a run's values can be seen first.
  builder.setting(show, "--jobs", "backup.jobs", 1, 64, "show backup.jobs as given on a command line");
  builder.setting(show, "--level", "backup.level", 0, 19, "show backup.level as given on a command line");
  builder.setting(show, "--keep-last", "retention.keep_last", 0, 1000000,
                  "show retention.keep_last as given on a command line");
  builder.on_parsed(show, [](commands::Context& context) { return commands::run_command(context, commands::config_show_command({})); });
  auto new_key = std::make_shared<commands::ConfigNewKeyOptions>();
  auto* new_key_command = config->add_subcommand("new-key", "write a new random encryption key to a new file (mode 600)");
  builder.file(new_key_command, "file", new_key->key_file, "the key file to create (never replaced)")->required();
  builder.on_parsed(new_key_command, [new_key](commands::Context& context) {
    return commands::run_command(context, commands::config_new_key_command(*new_key));
  });
}

}  // namespace mysqlpitr::cli
