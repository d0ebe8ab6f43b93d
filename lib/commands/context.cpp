#include "commands/context.hpp"

#include <unistd.h>

#include <climits>

namespace mysqlpitr::commands {

config::Settings& Context::settings() {
  if (!settings_) {
    config::LoadRequest request;
    request.explicit_path = global_.config_path;
    request.environment = environment_;
    request.command_line = global_.settings;
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd)) request.working_directory = cwd;
    settings_ = config::load_settings(request);
    console_.detail(settings_->source_file.empty() ? "no configuration file: using defaults and environment"
                                                   : "configuration: " + settings_->source_file);
  }
  return *settings_;
}

mysql::Connection Context::connect() { return mysql::Connection::open(mysql::options_from_settings(settings())); }

}  // namespace mysqlpitr::commands
