#pragma once
// `config import-env FILE` (TOML equivalent of a legacy .env) and `config show` (every setting
// with its value and where it came from; secrets redacted). Listings for the runner: each plan is
// the whole answer.
#include <string>

#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct ConfigImportOptions {
  std::string env_file;
};
Command config_import_env_command(const ConfigImportOptions& options);

struct ConfigShowOptions {};
Command config_show_command(const ConfigShowOptions& options);

}  // namespace mysqlpitr::commands
