#pragma once
// `config import-env FILE` (TOML equivalent of a legacy .env) and `config show` (every setting
// with its value and where it came from; secrets redacted): listings for the runner, each plan is
// the whole answer. `config new-key FILE` writes a new encryption key.
#include <string>

#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct ConfigImportOptions {
  std::string env_file;
};
Command config_import_env_command(const ConfigImportOptions& options);

struct ConfigShowOptions {};
Command config_show_command(const ConfigShowOptions& options);

// `config new-key FILE`: a fresh random encryption key in a new file (mode 600), never replacing one.
struct ConfigNewKeyOptions {
  std::string key_file;
};
Command config_new_key_command(const ConfigNewKeyOptions& options);

}  // namespace mysqlpitr::commands
