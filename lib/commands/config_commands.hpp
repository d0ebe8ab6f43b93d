#pragma once
// `config import-env FILE` (TOML equivalent of a legacy .env) and `config show` (every setting
// with its value and where it came from; secrets redacted).
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct ConfigImportOptions {
  std::string env_file;
};
Report run_config_import_env(Context& context, const ConfigImportOptions& options);

struct ConfigShowOptions {};
Report run_config_show(Context& context, const ConfigShowOptions& options);

}  // namespace mysqlpitr::commands
